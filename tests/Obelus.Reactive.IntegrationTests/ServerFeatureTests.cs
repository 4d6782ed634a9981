using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>Logins, permissions, filters, event lists and command output, on the real server.</summary>
public sealed class ServerFeatureTests
{
    [RealAsteriskFact]
    public async Task Md5_login_is_accepted()
    {
        await using var client = await RealAsterisk.ConnectAsync(RealAsterisk.Options() with { AuthType = AmiAuthType.Md5 });

        var pong = await client.SendAsync(new AmiAction("Ping"));

        Assert.Equal("Pong", pong["Ping"]);
        Assert.Equal(AmiConnectionStatus.Connected, client.State.Status);
    }

    [RealAsteriskFact]
    public async Task A_wrong_secret_is_refused_with_an_authentication_error()
    {
        await Assert.ThrowsAsync<AmiAuthenticationException>(() => RealAsterisk.ConnectAsync(RealAsterisk.Options(secret: "not-the-secret")));
    }

    [RealAsteriskFact(NeedsLimitedUser = true)]
    public async Task A_user_with_read_call_and_write_originate_follows_its_calls()
    {
        await using var client = await RealAsterisk.ConnectAsync(RealAsterisk.Options(RealAsterisk.LimitedUser, RealAsterisk.LimitedSecret));
        foreach (var mode in new[] { ChannelIdMode.Auto, ChannelIdMode.Never })
        {
            using var manager = new CallManager(client, new CallManagerOptions { UseChannelId = mode });
            var answered = await CallRecorder.RunAsync(manager, Scenarios.Request("Local/100@default"));
            var busy = await CallRecorder.RunAsync(manager, Scenarios.Request("Local/200@default"));

            Assert.True(answered[^1].Outcome == CallOutcome.Answered, mode + ": " + CallRecorder.Describe(answered));
            Assert.Contains(answered, s => s.ChannelState == ChannelState.Up);
            Assert.True(busy[^1].Outcome == CallOutcome.Busy, mode + ": " + CallRecorder.Describe(busy));
        }
    }

    [RealAsteriskFact]
    public async Task Server_side_filters_keep_call_events_and_drop_the_rest()
    {
        await using var client = await RealAsterisk.ConnectAsync();
        using var manager = new CallManager(client);
        await manager.SetupFiltersAsync();
        // Up to the call's first Hangup: the events this session was sent for the call, in order.
        var names = client.Events.TakeUntil(e => e.Is("Hangup")).Select(e => e.Name).Distinct().ToList().ToTask();

        var states = await CallRecorder.RunAsync(manager, Scenarios.Request("Local/100@default"));
        var seen = await names.WaitAsync(CallRecorder.SafetyTimeout);

        Assert.Equal(CallOutcome.Answered, states[^1].Outcome);
        Assert.Contains("Newchannel", seen);
        Assert.Contains("Hangup", seen);
        Assert.DoesNotContain("Newexten", seen);
    }

    [RealAsteriskFact]
    public async Task Status_and_CoreShowChannels_list_the_live_channels()
    {
        await using var client = await RealAsterisk.ConnectAsync();
        using var manager = new CallManager(client);
        var call = manager.Originate(Scenarios.Long).Replay();
        using var running = call.Connect();
        var up = await call.FirstAsync(s => s.ChannelState == ChannelState.Up).Timeout(CallRecorder.SafetyTimeout);

        var status = await client.SendEventListAsync(new AmiAction("Status").Add("Variables", manager.TrackingVariable));
        var channels = await client.SendEventListAsync(new AmiAction("CoreShowChannels"));
        await client.SendAsync(new AmiAction("Hangup").Add("Channel", "/^Local\\/1000@default-.*$/"));
        var end = await call.LastAsync().Timeout(CallRecorder.SafetyTimeout);

        Assert.All(up.UniqueIds, id => Assert.Contains(status.Items, e => e["Uniqueid"] == id));
        Assert.All(up.UniqueIds, id => Assert.Contains(channels.Items, e => e["Uniqueid"] == id));
        Assert.Equal(status.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), status.Completion["ListItems"] ?? status.Completion["Items"]);
        Assert.Contains(status.Items, e => e.GetValues("Variable").Contains(manager.TrackingVariable + "=" + up.CallId));
        Assert.Equal(CallChange.Ended, end.Change);
    }

    [RealAsteriskFact]
    public async Task Command_output_comes_back_line_by_line()
    {
        await using var client = await RealAsterisk.ConnectAsync();

        var version = await client.CommandAsync("core show version");
        var uptime = await client.CommandAsync("core show uptime");

        Assert.StartsWith("Asterisk 22.", Assert.Single(version), StringComparison.Ordinal);
        Assert.Contains(uptime, line => line.StartsWith("System uptime:", StringComparison.Ordinal));
    }

    [RealAsteriskFact]
    public async Task Variables_with_commas_quotes_and_backslashes_arrive_as_one_variable_each()
    {
        await using var client = await RealAsterisk.ConnectAsync();
        using var manager = new CallManager(client);
        var variables = new Dictionary<string, string>
        {
            ["NOTE"] = "a," + manager.TrackingVariable + "=999,X=1",
            ["QUOTED"] = "say \"hi\", \\o/ (a,[b])",
            ["TRAILING"] = "back\\",
        };
        var call = manager.Originate(Scenarios.Long with { Variables = variables }).Replay();
        using var running = call.Connect();
        var up = await call.FirstAsync(s => s.ChannelState == ChannelState.Up).Timeout(CallRecorder.SafetyTimeout);

        var channel = (await client.SendEventListAsync(new AmiAction("Status"))).Items.Single(e => e["Uniqueid"] == up.UniqueIds[0])["Channel"]!;
        var values = new Dictionary<string, string?>();
        foreach (var name in variables.Keys.Append("X").Append(manager.TrackingVariable))
        {
            values[name] = (await client.SendAsync(new AmiAction("Getvar").Add("Channel", channel).Add("Variable", name)))["Value"];
        }

        await client.SendAsync(new AmiAction("Hangup").Add("Channel", channel));
        await call.LastAsync().Timeout(CallRecorder.SafetyTimeout);

        Assert.All(variables, v => Assert.Equal(v.Value, values[v.Key]));
        Assert.True(string.IsNullOrEmpty(values["X"]), "X was set: " + values["X"]);
        Assert.Equal(up.CallId, values[manager.TrackingVariable]);
    }
}
