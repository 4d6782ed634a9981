using Microsoft.Reactive.Testing;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>The client against byte-exact replays of a real Asterisk 22.</summary>
public sealed class AmiClientTraceTests
{
    private static AmiClient Create(TraceReplayServer server, string name, AmiAuthType auth = AmiAuthType.Plain) => new(
        new AmiClientOptions
        {
            Host = "replay",
            Username = "obelus",
            Secret = "obelus",
            AuthType = auth,
            KeepAliveInterval = null,
            ActionIdPrefix = name + "-", // so the generated ids are the recorded ones
        },
        server.Transport,
        new TestScheduler());

    [Fact]
    public async Task Md5_login_of_the_capture_is_accepted()
    {
        using var server = new TraceReplayServer("login_md5");
        var client = Create(server, "login_md5", AmiAuthType.Md5);

        await client.ConnectAsync().WaitAsync(FakeAmiServer.Safety);
        await client.DisposeAsync().AsTask().WaitAsync(FakeAmiServer.Safety);
        await server.Replay.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(["Challenge", "Login", "Logoff"], server.Received.Select(a => a.Name));
        Assert.Equal("9b34b067fd90fc0bbcbd5991615ec738", server.Received[1]["Key"]);
    }

    [Fact]
    public async Task Status_and_core_show_channels_of_the_capture_become_lists_and_stay_off_events()
    {
        using var server = new TraceReplayServer("status_resync_b");
        var client = Create(server, "status_resync_b");
        var published = new List<string>();
        var hangups = 0;
        var bothHangups = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = client.Events.Subscribe(e =>
        {
            published.Add(e.Name);
            if (e.Name == "Hangup" && ++hangups == 2)
            {
                bothHangups.TrySetResult();
            }
        });
        await client.ConnectAsync().WaitAsync(FakeAmiServer.Safety);

        var status = await client.SendEventListAsync(new AmiAction("Status").Add("Variables", "X_TRACK")).WaitAsync(FakeAmiServer.Safety);
        var channels = await client.SendEventListAsync(new AmiAction("CoreShowChannels")).WaitAsync(FakeAmiServer.Safety);
        var value = await client.SendAsync(new AmiAction("Getvar").Add("Channel", "Local/1000@default-0000003c;1").Add("Variable", "X_TRACK")).WaitAsync(FakeAmiServer.Safety);
        await client.SendAsync(new AmiAction("Hangup").Add("Channel", "Local/1000@default-0000003c;1").Add("Cause", "16")).WaitAsync(FakeAmiServer.Safety);
        await bothHangups.Task.WaitAsync(FakeAmiServer.Safety);
        await client.DisposeAsync().AsTask().WaitAsync(FakeAmiServer.Safety);
        await server.Replay.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(["obelus-ch-0005-2", "obelus-ch-0005"], status.Items.Select(i => i["Uniqueid"]));
        Assert.All(status.Items, i => Assert.Equal("X_TRACK=r1", i["Variable"]));
        Assert.Equal("StatusComplete", status.Completion.Name);
        Assert.Equal(2, channels.Items.Count);
        Assert.Equal("CoreShowChannelsComplete", channels.Completion.Name);
        Assert.Equal("r1", value["Value"]);
        Assert.DoesNotContain(published, n => n.StartsWith("Status", StringComparison.Ordinal) || n.StartsWith("CoreShowChannel", StringComparison.Ordinal));
        Assert.Contains("FullyBooted", published);
        Assert.Equal(AmiConnectionStatus.Closed, client.State.Status);
    }
}
