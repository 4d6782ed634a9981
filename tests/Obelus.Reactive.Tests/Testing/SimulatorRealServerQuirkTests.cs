using Microsoft.Reactive.Testing;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;
using static Obelus.Reactive.Tests.Testing.SimulatorCallFlowTests;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>
/// What a real Asterisk 22 does that single-call captures do not show, reproduced by the simulator:
/// refusal of assigned ids by prefix, Variable headers split at commas, and (as a fault switch)
/// an OriginateResponse that overtakes its channel's events.
/// </summary>
public sealed class SimulatorRealServerQuirkTests
{
    [Theory]
    [InlineData("abc-10", "abc-1")]
    [InlineData("ABC-10", "abc-1")]
    [InlineData("abc-1-2", "abc-1")]
    public async Task An_assigned_id_that_begins_a_live_uniqueid_is_refused_without_a_channel(string liveId, string requestedId)
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SendAndWaitHandledAsync(simulator, client, Originate("Local/1000@default", "1000").Add("ChannelId", liveId).Add("OtherChannelId", liveId + "x"));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("OriginateResponse"));

        var second = Originate("Local/100@default", "100").Add("ChannelId", requestedId).Add("OtherChannelId", "other-" + requestedId);
        second.ActionId = "o-2";
        await SendAndWaitHandledAsync(simulator, client, second);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        var messages = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("OriginateResponse"));

        var events = messages.OfType<AmiEvent>().ToList();
        Assert.DoesNotContain(events, e => e.Is("Newchannel"));
        var refused = events.Single(e => e.Is("OriginateResponse"));
        Assert.Equal(("o-2", "Failure", "0", "<unknown>"), (refused.ActionId, refused["Response"], refused["Reason"], refused["Uniqueid"]));
        Assert.Equal(2, simulator.ChannelCount);
    }

    [Fact]
    public async Task Ids_of_the_same_length_never_conflict()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SendAndWaitHandledAsync(simulator, client, Originate("Local/1000@default", "1000").Add("ChannelId", "abc-10-1").Add("OtherChannelId", "abc-10-2"));
        var second = Originate("Local/1000@default", "1000").Add("ChannelId", "abc-11-1").Add("OtherChannelId", "abc-11-2");
        second.ActionId = "o-2";
        await SendAndWaitHandledAsync(simulator, client, second);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);

        Assert.Equal(4, simulator.ChannelCount);
    }

    [Theory]
    [InlineData("NOTE=a,X=1", new[] { "NOTE=a", "X=1" })]
    [InlineData("NOTE=\"a,X=1\"", new[] { "NOTE=a,X=1" })]
    [InlineData("NOTE=a\\,X=1", new[] { "NOTE=a,X=1" })]
    [InlineData("NOTE=say \\\"hi\\\"", new[] { "NOTE=say \"hi\"" })]
    [InlineData("NOTE=f(a,b),Y=[c,d]", new[] { "NOTE=f(a,b)", "Y=[c,d]" })]
    [InlineData("NOTE=back\\\\slash", new[] { "NOTE=back\\slash" })]
    public async Task A_variable_header_is_split_and_unquoted_as_asterisk_does(string header, string[] expected)
    {
        var events = await RunOriginateWithVariableHeaderAsync(header);

        var firstHalf = events.Where(e => e.Is("VarSet") && e["Channel"]!.EndsWith(";1", StringComparison.Ordinal) && e["Variable"] != "X_TRACK");
        Assert.Equal(expected, firstHalf.Select(e => e["Variable"] + "=" + e["Value"]));
    }

    [Fact]
    public async Task Values_escaped_by_AddVariable_arrive_whole()
    {
        const string value = "a,X=1 \"q\" back\\slash (p,[b]";
        var action = Originate("Local/100@default", "100").AddVariable("NOTE", value);
        var events = await RunOriginateAsync(action);

        var notes = events.Where(e => e.Is("VarSet") && e["Channel"]!.EndsWith(";1", StringComparison.Ordinal) && e["Variable"] != "X_TRACK").ToList();
        Assert.Equal([("NOTE", value)], notes.Select(e => (e["Variable"], e["Value"])));
    }

    [Fact]
    public async Task With_the_fault_on_the_originate_response_comes_before_every_event_of_its_channels()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        simulator.Faults.OriginateResponseFirst = true;
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SendAndWaitHandledAsync(simulator, client, Originate("Local/100@default", "100"));
        scheduler.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        var events = (await client.ReadToEndAsync()).OfType<AmiEvent>().Where(e => e.Contains("Uniqueid")).ToList();

        Assert.True(events[0].Is("OriginateResponse"), string.Join(", ", events.Select(e => e.Name)));
        Assert.Equal("Success", events[0]["Response"]);
        Assert.Contains(events, e => e.Is("Newchannel") && e["Uniqueid"] == events[0]["Uniqueid"]);
        Assert.Equal(2, events.Count(e => e.Is("Hangup")));
    }

    private static Task<List<AmiEvent>> RunOriginateWithVariableHeaderAsync(string header) =>
        RunOriginateAsync(Originate("Local/100@default", "100").Add("Variable", header));

    private static async Task<List<AmiEvent>> RunOriginateAsync(AmiAction originate)
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SendAndWaitHandledAsync(simulator, client, originate);
        scheduler.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        return (await client.ReadToEndAsync()).OfType<AmiEvent>().ToList();
    }
}
