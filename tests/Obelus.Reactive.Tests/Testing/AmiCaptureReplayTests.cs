using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>A capture is served back response by response, with the client's ids.</summary>
public sealed class AmiCaptureReplayTests
{
    [Fact]
    public async Task Replay_serves_each_response_and_its_events_with_the_clients_action_ids_and_tracking_variable()
    {
        await using var replay = AmiCaptureReplay.Load(Capture.PathOf("originate_answered.in.ami"), Capture.PathOf("originate_answered.out.ami"));
        await using var client = new RawAmiClient(replay.CreateConnection());

        var banner = await client.ReadBannerAsync();
        Assert.Equal("11.0.0", banner.Version);
        await client.SendAsync(new AmiAction("Login") { ActionId = "mine-1" }.Add("Username", "u").Add("Secret", "s"));
        var login = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("SuccessfulAuth"));
        Assert.Equal("mine-1", login[0].ActionId);

        await client.SendAsync(new AmiAction("Originate") { ActionId = "mine-2" }
            .Add("Channel", "Local/100@default").Add("Context", "default").Add("Exten", "100").Add("Priority", "1")
            .Add("Async", "true").AddVariable("X_0123456789AB", "call-7"));
        var call = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("DeviceStateChange") && e["State"] == "NOT_INUSE");

        Assert.Equal("mine-2", call[0].ActionId);
        Assert.Equal("mine-2", call.Single(m => m is AmiEvent e && e.Is("OriginateResponse")).ActionId);
        var varSets = call.OfType<AmiEvent>().Where(e => e.Is("VarSet")).ToList();
        Assert.Equal(2, varSets.Count);
        Assert.All(varSets, e => Assert.Equal(("X_0123456789AB", "call-7"), (e["Variable"], e["Value"])));
        Assert.DoesNotContain(call, m => m.ToString().Contains("X_TRACK", StringComparison.Ordinal));

        await client.SendAsync(new AmiAction("Logoff") { ActionId = "mine-3" });
        var end = await client.ReadToEndAsync();
        Assert.Equal(2, end.Count);
        Assert.Equal(("Goodbye", "mine-3"), (((AmiResponse)end[^1]).Status, end[^1].ActionId));
    }

    [Fact]
    public async Task Replay_refuses_an_action_the_capture_did_not_record_at_that_point()
    {
        await using var replay = AmiCaptureReplay.Load(Capture.PathOf("banner.in.ami"), Capture.PathOf("banner.out.ami"));
        await using var client = new RawAmiClient(replay.CreateConnection());
        await client.ReadBannerAsync();

        await client.SendAsync(new AmiAction("Ping") { ActionId = "p" });
        var refused = (AmiResponse)(await client.ReadAsync())!;
        Assert.Equal(("Error", "p"), (refused.Status, refused.ActionId));
        Assert.Contains("Login", refused.Message, StringComparison.Ordinal);

        await client.SendAsync(new AmiAction("Login") { ActionId = "l" });
        Assert.Equal("Authentication accepted", ((AmiResponse)(await client.ReadAsync())!).Message);
    }

    [Fact]
    public async Task Replay_of_a_refused_login_closes_like_the_server_did()
    {
        await using var replay = AmiCaptureReplay.Load(Capture.PathOf("login_failure.in.ami"));
        await using var client = new RawAmiClient(replay.CreateConnection());
        await client.ReadBannerAsync();

        await client.SendAsync(new AmiAction("Login") { ActionId = "x" }.Add("Username", "obelus").Add("Secret", "nope"));
        var messages = await client.ReadToEndAsync();

        var refused = (AmiResponse)Assert.Single(messages);
        Assert.Equal(("Error", "x", "Authentication failed"), (refused.Status, refused.ActionId, refused.Message));
    }

    [Fact]
    public async Task Replay_gives_a_response_recorded_without_action_id_the_clients_id()
    {
        var capture = Capture.Load("list_actions");
        await using var replay = AmiCaptureReplay.Load(Capture.PathOf("list_actions.in.ami"), Capture.PathOf("list_actions.out.ami"));
        await using var client = new RawAmiClient(replay.CreateConnection());
        await client.ReadBannerAsync();
        for (var i = 0; i < 8; i++)
        {
            var action = capture.Action(i);
            await client.SendAsync(action);
            await client.ReadUntilResponseAsync(action.ActionId!);
        }

        await client.SendAsync(new AmiAction("Ping") { ActionId = "second-ping" });
        var pong = await client.ReadAsync();
        Assert.Equal(("second-ping", "Pong"), (pong!.ActionId, pong["Ping"]));
    }

    [Fact]
    public void A_capture_without_a_greeting_is_refused_with_a_protocol_error()
    {
        var error = Assert.Throws<AmiProtocolException>(() => AmiCaptureReplay.FromBytes("Response: Success\r\n\r\n"u8.ToArray()));

        Assert.Equal(AmiProtocolError.InvalidBanner, error.Error);
    }
}
