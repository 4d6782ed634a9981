using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>The simulator replays the recorded actions of a capture; its events must have the capture's shape.</summary>
public sealed class SimulatorCallFlowTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("originate_answered")]
    [InlineData("originate_busy")]
    [InlineData("originate_bad_extension")]
    [InlineData("originate_sync_answered")]
    public async Task Originate_events_have_the_shape_of_the_capture(string captureName)
    {
        var capture = Capture.Load(captureName);
        var (response, events) = await RunOriginateAsync(capture);

        var recordedResponse = capture.Received.OfType<AmiResponse>().Single(r => r.ActionId == capture.Sent[1].ActionId);
        Assert.Equal(recordedResponse.Status, response.Status);
        Assert.Equal(recordedResponse.Message, response.Message);
        EventSequenceAssert.SameShape(capture.EventsAfterResponse(capture.Sent[1].ActionId!), events);
    }

    [Fact]
    public async Task Synchronous_originate_to_an_unknown_technology_fails_without_events()
    {
        var capture = Capture.Load("originate_sync_failure");
        var (response, events) = await RunOriginateAsync(capture);

        Assert.Equal("Error", response.Status);
        Assert.Equal("Originate failed", response.Message);
        Assert.Empty(events);
    }

    [Fact]
    public async Task Client_chosen_channel_ids_become_uniqueids_and_linkedid_of_both_halves()
    {
        var capture = Capture.Load("channelid_answered");
        var (_, events) = await RunOriginateAsync(capture);

        var channelEvents = events.Where(e => e.Contains("Channel") && e.Contains("Linkedid")).ToList();
        Assert.NotEmpty(channelEvents);
        Assert.All(channelEvents, e =>
        {
            Assert.Equal(e["Channel"]!.EndsWith(";1", StringComparison.Ordinal) ? "obelus-ch-0001" : "obelus-ch-0001-2", e["Uniqueid"]);
            Assert.Equal("obelus-ch-0001", e["Linkedid"]);
        });
        var bridge = events.Single(e => e.Is("LocalBridge"));
        Assert.Equal("obelus-ch-0001", bridge["LocalOneUniqueid"]);
        Assert.Equal("obelus-ch-0001-2", bridge["LocalTwoUniqueid"]);
        var originated = events.Single(e => e.Is("OriginateResponse"));
        Assert.Equal(("Success", "4", "obelus-ch-0001"), (originated["Response"], originated["Reason"], originated["Uniqueid"]));
    }

    [Fact]
    public async Task A_channel_id_longer_than_149_characters_is_refused()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await client.SendAsync(Originate("Local/100@default", "100").Add("ChannelId", new string('a', 150)));

        var response = (AmiResponse)(await client.ReadAsync())!;
        Assert.Equal(("Error", "Uniqueid length exceeds maximum of 149"), (response.Status, response.Message));
        Assert.Equal(0, simulator.ChannelCount);
    }

    [Fact]
    public async Task An_answered_call_of_thirty_seconds_ends_after_thirty_virtual_seconds()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SendAndWaitHandledAsync(simulator, client, Originate("Local/1000@default", "1000"));
        await client.ReadUntilResponseAsync("o-1");

        scheduler.AdvanceBy(TimeSpan.FromSeconds(29).Ticks);
        Assert.Equal(2, simulator.ChannelCount);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        Assert.Equal(0, simulator.ChannelCount);

        var events = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("Hangup") && e["Channel"]!.EndsWith(";2", StringComparison.Ordinal));
        Assert.Equal(["16", "16"], events.OfType<AmiEvent>().Where(e => e.Is("Hangup")).Select(e => e["Cause"]));
    }

    [Fact]
    public async Task No_answer_ends_at_the_originate_timeout_without_DialEnd_and_with_cause_19()
    {
        var events = await RunSimpleOriginateAsync("Local/noanswer@default", timeoutMs: 5000);

        Assert.DoesNotContain(events, e => e.Is("DialEnd"));
        Assert.Equal("RINGING", events.Single(e => e.Is("DialState"))["DialStatus"]);
        var originated = events.Single(e => e.Is("OriginateResponse"));
        Assert.Equal(("Failure", "3", "<unknown>"), (originated["Response"], originated["Reason"], originated["Uniqueid"]));
        Assert.Equal(["19", "19"], events.Where(e => e.Is("Hangup")).Select(e => e["Cause"]));
        Assert.True(events.FindIndex(e => e.Is("OriginateResponse")) > events.FindLastIndex(e => e.Is("Hangup")));
    }

    [Theory]
    [InlineData("Local/congestion@default", "CONGESTION", "8", "0")]
    [InlineData("Local/busy@default", "BUSY", "5", "0")]
    public async Task Refused_destinations_report_their_dial_status_and_originate_reason(string channel, string dialStatus, string reason, string firstHalfCause)
    {
        var events = await RunSimpleOriginateAsync(channel, timeoutMs: 5000);

        Assert.Equal(dialStatus, events.Single(e => e.Is("DialEnd"))["DialStatus"]);
        var originated = events.Single(e => e.Is("OriginateResponse"));
        Assert.Equal(("Failure", reason, "<unknown>"), (originated["Response"], originated["Reason"], originated["Uniqueid"]));
        Assert.Equal(firstHalfCause, events.Single(e => e.Is("Hangup") && e["Channel"]!.EndsWith(";1", StringComparison.Ordinal))["Cause"]);
        Assert.Equal(2, events.Count(e => e.Is("Hangup")));
    }

    [Fact]
    public async Task No_answer_rings_until_the_originate_timeout()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SendAndWaitHandledAsync(simulator, client, Originate("Local/300@default", "100", timeoutMs: 20000));

        scheduler.AdvanceBy(TimeSpan.FromSeconds(19).Ticks);
        Assert.Equal(2, simulator.ChannelCount);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        Assert.Equal(0, simulator.ChannelCount);
    }

    [Fact]
    public async Task A_local_channel_dialling_onward_adds_a_second_pair_on_the_same_linkedid()
    {
        var events = await RunSimpleOriginateAsync("Local/400@default");

        var created = events.Where(e => e.Is("Newchannel")).ToList();
        Assert.Equal(4, created.Count);
        Assert.Single(created.Select(e => e["Linkedid"]).Distinct());
        Assert.Equal(["ANSWER", "ANSWER"], events.Where(e => e.Is("DialEnd")).Select(e => e["DialStatus"]));
        Assert.Equal(4, events.Count(e => e.Is("Hangup")));
        Assert.Equal(2, events.Count(e => e.Is("BridgeEnter")));
        Assert.Equal("Success", events.Single(e => e.Is("OriginateResponse"))["Response"]);
        Assert.Equal(2, events.Count(e => e.Is("VarSet")));
    }

    [Fact]
    public async Task Custom_destinations_route_by_exten_in_the_dialplan()
    {
        var plan = SimulatedDialplan.CreateDefault().Add("777", ScriptedDestination.Busy());
        var events = await RunSimpleOriginateAsync("Local/777@default", dialplan: plan);

        Assert.Equal("BUSY", events.Single(e => e.Is("DialEnd"))["DialStatus"]);
    }

    internal static AmiAction Originate(string channel, string exten, int? timeoutMs = null, bool async = true) =>
        new AmiAction("Originate") { ActionId = "o-1" }
            .Add("Channel", channel)
            .Add("Context", "default")
            .Add("Exten", exten)
            .Add("Priority", "1")
            .Add("CallerID", "\"Obelus Test\" <x1>")
            .AddIfNotNull("Timeout", timeoutMs?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .AddIfNotNull("Async", async ? "true" : null)
            .AddVariable("X_TRACK", "x1");

    internal static async Task SendAndWaitHandledAsync(AmiSimulator simulator, RawAmiClient client, AmiAction action)
    {
        var handled = simulator.Actions.FirstAsync(a => a.ActionId == action.ActionId).ToTask();
        await client.SendAsync(action);
        await handled.WaitAsync(SafetyTimeout);
    }

    private static async Task<List<AmiEvent>> RunSimpleOriginateAsync(string channel, int? timeoutMs = null, SimulatedDialplan? dialplan = null)
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler }, dialplan);
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SendAndWaitHandledAsync(simulator, client, Originate(channel, "100", timeoutMs));
        scheduler.AdvanceBy(TimeSpan.FromMinutes(2).Ticks);
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        var messages = await client.ReadToEndAsync();
        return messages.OfType<AmiEvent>().ToList();
    }

    /// <summary>Logs in, sends the capture's Originate (action 1), runs the call in virtual time, logs off.</summary>
    private static async Task<(AmiResponse Response, List<AmiEvent> Events)> RunOriginateAsync(Capture capture)
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.ReadBannerAsync();
        await client.SendAsync(capture.Action(0));
        await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("SuccessfulAuth"));

        var originate = capture.Action(1);
        await SendAndWaitHandledAsync(simulator, client, originate);
        scheduler.AdvanceBy(TimeSpan.FromMinutes(2).Ticks);
        await client.SendAsync(capture.Action(capture.Sent.Count - 1));
        var messages = await client.ReadToEndAsync();

        var responseIndex = messages.FindIndex(m => m is AmiResponse && m.ActionId == originate.ActionId);
        Assert.True(responseIndex >= 0, "no response to the Originate");
        var events = messages.Skip(responseIndex + 1).TakeWhile(m => m is AmiEvent).Cast<AmiEvent>().ToList();
        Assert.IsType<AmiResponse>(messages[^1]);
        Assert.Equal("Goodbye", ((AmiResponse)messages[^1]).Status);
        return ((AmiResponse)messages[responseIndex], events);
    }
}
