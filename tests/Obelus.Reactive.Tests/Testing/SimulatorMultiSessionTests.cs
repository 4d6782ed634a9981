using Microsoft.Reactive.Testing;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>Events go to every logged-in session; calls outlive the session that started them.</summary>
public sealed class SimulatorMultiSessionTests
{
    [Fact]
    public async Task Every_logged_in_session_gets_the_call_events_and_a_session_not_logged_in_gets_none()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var first = new RawAmiClient(simulator.CreateConnection());
        await using var second = new RawAmiClient(simulator.CreateConnection());
        await using var anonymous = new RawAmiClient(simulator.CreateConnection());
        await first.LoginAsync();
        await second.LoginAsync();
        await anonymous.ReadBannerAsync();

        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, first, SimulatorCallFlowTests.Originate("Local/100@default", "100"));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);
        var seenByFirst = await LogoffAndCollectAsync(first);
        var seenBySecond = await LogoffAndCollectAsync(second);
        var seenByAnonymous = await LogoffAndCollectAsync(anonymous);

        Assert.Equal(seenByFirst.Where(e => !e.Is("OriginateResponse")).Select(e => e.ToString()), seenBySecond.Where(e => !e.Is("OriginateResponse")).Select(e => e.ToString()));
        Assert.Contains(seenBySecond, e => e.Is("OriginateResponse"));
        Assert.Equal(2, seenBySecond.Count(e => e.Is("Hangup")));
        Assert.Empty(seenByAnonymous);
    }

    [Fact]
    public async Task A_call_outlives_its_session_and_another_session_finds_it_with_status_and_hangs_it_up()
    {
        var resync = Capture.Load("status_resync_b");
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        var first = new RawAmiClient(simulator.CreateConnection());
        await first.LoginAsync();
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, first, Capture.Load("status_resync_a").Action(1));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        await first.DisposeAsync();

        await using var second = new RawAmiClient(simulator.CreateConnection());
        await second.LoginAsync();
        await second.SendAsync(resync.Action(1));
        var status = await second.ReadUntilAsync(m => m is AmiEvent e && e.Is("StatusComplete"));

        var recorded = resync.Received.Where(m => m.ActionId == "status_resync_b-2").ToList();
        Assert.Equal(recorded.Select(m => m.ToString().Split("\r\n")[0]), status.Select(m => m.ToString().Split("\r\n")[0]));
        for (var i = 0; i < recorded.Count; i++)
        {
            Assert.Equal(recorded[i].Select(h => h.Name), status[i].Select(h => h.Name));
            Assert.Equal(recorded[i]["Uniqueid"], status[i]["Uniqueid"]);
            Assert.Equal(recorded[i]["Linkedid"], status[i]["Linkedid"]);
            Assert.Equal(recorded[i].GetValues("Variable"), status[i].GetValues("Variable"));
        }

        await second.SendAsync(new AmiAction("Hangup") { ActionId = "h" }.Add("Channel", status[2]["Channel"]!).Add("Cause", "16"));
        var ended = await second.ReadUntilAsync(m => m is AmiEvent e && e.Is("Hangup") && e["Uniqueid"] == "obelus-ch-0005-2");
        Assert.Equal(2, ended.OfType<AmiEvent>().Count(e => e.Is("Hangup")));
        Assert.Equal(0, simulator.ChannelCount);
    }

    [Fact]
    public async Task Status_with_all_variables_lists_the_channels_own_variables()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, SimulatorCallFlowTests.Originate("Local/1000@default", "1000"));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);

        await client.SendAsync(new AmiAction("Status") { ActionId = "st" }.Add("AllVariables", "true"));
        var items = (await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("StatusComplete"))).OfType<AmiEvent>().Where(e => e.Is("Status")).ToList();

        Assert.Equal(2, items.Count);
        Assert.All(items, e => Assert.Contains("X_TRACK=x1", e.GetValues("Variable")));
    }

    private static async Task<List<AmiEvent>> LogoffAndCollectAsync(RawAmiClient client)
    {
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        return (await client.ReadToEndAsync()).OfType<AmiEvent>().Where(e => !e.Is("FullyBooted") && !e.Is("SuccessfulAuth")).ToList();
    }
}
