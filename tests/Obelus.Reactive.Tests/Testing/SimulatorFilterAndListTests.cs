using Microsoft.Reactive.Testing;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>Filters, event lists and CLI commands behave as the captures show.</summary>
public sealed class SimulatorFilterAndListTests
{
    [Fact]
    public async Task The_two_tracking_filters_pass_call_events_and_the_tracking_varset_only()
    {
        var capture = Capture.Load("filters");
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.ReadBannerAsync();
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(capture.Action(i));
        }

        // The same call as originate_answered (same caller id and tracking value), under this capture's ActionID.
        var answered = Capture.Load("originate_answered");
        var originate = answered.Action(1);
        originate.ActionId = capture.Sent[3].ActionId;
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, originate);
        scheduler.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        await client.SendAsync(capture.Action(4));
        var messages = await client.ReadToEndAsync();

        Assert.Equal(
            capture.Received.OfType<AmiResponse>().Select(r => (r.ActionId, r.Status, r.Message)),
            messages.OfType<AmiResponse>().Select(r => (r.ActionId, r.Status, r.Message)));
        var events = messages.SkipWhile(m => m.ActionId != originate.ActionId).OfType<AmiEvent>().ToList();

        // The order of DeviceStateChange and OriginateResponse varies between runs of a real server, so
        // the order comes from originate_answered (same call, no filters) with the two regexes applied
        // by hand, and the filters capture gives the same events as a multiset.
        var unfiltered = answered.EventsAfterResponse("originate_answered-2");
        var expected = unfiltered.Where(e => e.ToString().Contains("Privilege: call,all", StringComparison.Ordinal) || e.ToString().Contains("Variable: X_TRACK", StringComparison.Ordinal)).ToList();
        EventSequenceAssert.SameShape(expected, events);
        Assert.Equal(
            capture.EventsAfterResponse(originate.ActionId!).Select(e => e.Name).Order(),
            events.Select(e => e.Name).Order());
        Assert.DoesNotContain(events, e => e.Is("Newexten"));
    }

    [Theory]
    [InlineData(new[] { "Privilege: call,all" }, "Newchannel", true)]
    [InlineData(new[] { "Privilege: call,all" }, "VarSet", false)]
    [InlineData(new[] { "Privilege: call,all", "Variable: X_TRACK" }, "VarSet", true)]
    [InlineData(new[] { "!Event: VarSet" }, "VarSet", false)]
    [InlineData(new[] { "!Event: VarSet" }, "Newchannel", true)]
    [InlineData(new[] { "Privilege: call,all", "!Event: Newchannel" }, "Newchannel", false)]
    [InlineData(new[] { "Variable: X_TRA" }, "VarSet", true)]
    [InlineData(new[] { "^Variable: X_TRACK" }, "VarSet", false)]
    public async Task Filters_include_when_any_include_matches_and_exclude_when_any_exclude_matches(string[] filters, string eventName, bool passes)
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        foreach (var filter in filters)
        {
            await client.SendAsync("Filter", ("Operation", "Add"), ("Filter", filter));
            Assert.Equal("Success", ((AmiResponse)(await client.ReadAsync())!).Message);
        }

        var arrived = await EmitAndCollectAsync(simulator, client, eventName);

        Assert.Equal(passes, arrived);
    }

    [Fact]
    public async Task Filter_remove_is_an_unknown_operation_and_match_criteria_exclude_by_name()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await client.SendAsync("Filter", ("Operation", "Remove"), ("Filter", "x"));
        Assert.Equal(("Error", "Unknown operation"), Pair((AmiResponse)(await client.ReadAsync())!));
        await client.SendAsync("Filter", ("Operation", "Add"), ("MatchCriteria", "action(exclude),name(VarSet)"));
        Assert.Equal(("Success", "Success"), Pair((AmiResponse)(await client.ReadAsync())!));

        simulator.EmitEventBurst(100);
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        var events = (await client.ReadToEndAsync()).OfType<AmiEvent>().ToList();
        Assert.NotEmpty(events);
        Assert.DoesNotContain(events, e => e.Is("VarSet"));
    }

    [Fact]
    public async Task Core_show_channels_and_status_list_both_halves_like_the_capture()
    {
        var capture = Capture.Load("list_actions");
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, SimulatorCallFlowTests.Originate("Local/1000@default", "1000"));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);

        await client.SendAsync(new AmiAction("CoreShowChannels") { ActionId = "list_actions-3" });
        var shown = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("CoreShowChannelsComplete"));
        await client.SendAsync(new AmiAction("Status") { ActionId = "list_actions-4" }.Add("Variables", "X_TRACK,NOPE_VAR"));
        var status = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("StatusComplete"));

        AssertListLike(capture, "list_actions-3", shown.SkipWhile(m => m.ActionId != "list_actions-3").ToList(), variables: 0);
        AssertListLike(capture, "list_actions-4", status, variables: 2);
        var items = status.OfType<AmiEvent>().Where(e => e.Is("Status")).ToList();
        Assert.EndsWith(";2", items[0]["Channel"], StringComparison.Ordinal);
        Assert.Equal(["X_TRACK=x1", "NOPE_VAR=(null)"], items[1].GetValues("Variable"));
        Assert.Equal("ActionID", items[1][items[1].Count - 1].Name);
        Assert.Equal(("Wait", "30", "6"), (items[1]["Application"], items[1]["Data"], items[1]["ChannelState"]));
    }

    [Fact]
    public async Task Commands_answer_with_output_headers_and_unknown_commands_are_errors()
    {
        var capture = Capture.Load("list_actions");
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, SimulatorCallFlowTests.Originate("Local/1000@default", "1000"));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(141).Ticks);
        await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("Hangup") && e["Channel"]!.EndsWith(";2", StringComparison.Ordinal));
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, SimulatorCallFlowTests.Originate("Local/1000@default", "1000"));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);

        var responses = new List<AmiResponse>();
        for (var i = 4; i <= 6; i++)
        {
            var action = capture.Action(i);
            await client.SendAsync(action);
            responses.Add((AmiResponse)(await client.ReadUntilResponseAsync(action.ActionId!))[^1]);
        }

        var recorded = capture.Received.OfType<AmiResponse>().Where(r => r.ActionId is "list_actions-5" or "list_actions-6" or "list_actions-7").ToList();
        Assert.Equal(recorded.Select(r => (r.Status, r.Message, r.Output.Count)), responses.Select(r => (r.Status, r.Message, r.Output.Count)));
        Assert.Equal(recorded[0].Output, responses[0].Output);
        Assert.Equal(recorded[2].Output, responses[2].Output);
        Assert.Equal(recorded[1].Output[0], responses[1].Output[0]);
        Assert.Equal(recorded[1].Output[1].Length, responses[1].Output[1].Length);
        Assert.Equal(["2 active channels", "1 active call", "2 calls processed"], responses[1].Output.Skip(3));
    }

    private static (string, string?) Pair(AmiResponse response) => (response.Status, response.Message);

    private static void AssertListLike(Capture capture, string actionId, List<AmiMessage> actual, int variables)
    {
        var recorded = capture.Received.Where(m => m.ActionId == actionId).ToList();
        Assert.Equal(recorded.Select(RawAmiClient.Describe), actual.Select(RawAmiClient.Describe));
        for (var i = 0; i < recorded.Count; i++)
        {
            var names = actual[i].Select(h => h.Name).Where(n => n != "Variable");
            Assert.Equal(recorded[i].Select(h => h.Name), names);
            Assert.Equal(recorded[i]["EventList"], actual[i]["EventList"]);
            Assert.Equal(recorded[i]["ListItems"], actual[i]["ListItems"]);
        }

        Assert.All(actual.Skip(1).SkipLast(1), m => Assert.Equal(variables, m.GetValues("Variable").Count));
    }

    /// <summary>Emits a burst holding every generated event kind; true when one named <paramref name="eventName"/> reached the client.</summary>
    private static async Task<bool> EmitAndCollectAsync(AmiSimulator simulator, RawAmiClient client, string eventName)
    {
        simulator.EmitEventBurst(100);
        await client.SendAsync(new AmiAction("Ping") { ActionId = "mark" });
        var messages = await client.ReadUntilResponseAsync("mark");
        return messages.OfType<AmiEvent>().Any(e => e.Is(eventName));
    }
}
