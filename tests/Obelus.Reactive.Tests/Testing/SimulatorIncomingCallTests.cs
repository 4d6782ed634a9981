using Microsoft.Reactive.Testing;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>Incoming calls look like the real incoming IAX2 channel of trace incoming_iax2.</summary>
public sealed class SimulatorIncomingCallTests
{
    [Fact]
    public async Task An_answered_incoming_call_has_the_events_of_the_captured_incoming_channel()
    {
        var capture = Capture.Load("incoming_iax2");
        var recordedChannel = capture.Received.OfType<AmiEvent>().First(e => e.Is("Newchannel") && e["Context"] == "incoming")["Channel"];
        var expected = capture.Received.OfType<AmiEvent>().Where(e => e["Channel"] == recordedChannel).ToList();
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();

        var call = simulator.SimulateIncomingCall("\"IAX Guest\" <4569>", "900", answer: true, TimeSpan.FromSeconds(2));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        Assert.Equal(1, simulator.ChannelCount);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        Assert.Equal(0, simulator.ChannelCount);
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        var events = (await client.ReadToEndAsync()).OfType<AmiEvent>().ToList();

        EventSequenceAssert.SameShape(expected, events);
        Assert.StartsWith("IAX2/127.0.0.1:4569-", call.Channel, StringComparison.Ordinal);
        Assert.Equal(call.Uniqueid, call.Linkedid);
        Assert.All(events, e => Assert.Equal(call.Linkedid, e["Linkedid"]));
    }

    [Fact]
    public async Task An_unanswered_incoming_call_rings_then_hangs_up_after_the_duration()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();

        simulator.SimulateIncomingCall("5551234", "900", answer: false, TimeSpan.FromSeconds(20));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(21).Ticks);
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        var events = (await client.ReadToEndAsync()).OfType<AmiEvent>().ToList();

        Assert.Equal(["Newchannel", "Newexten", "Newstate", "HangupRequest", "Hangup"], events.Select(e => e.Name));
        Assert.Equal("5", events[2]["ChannelState"]);
        Assert.Equal("5551234", events[0]["CallerIDNum"]);
        Assert.DoesNotContain(events, e => e["ChannelState"] == "6");
    }

    [Fact]
    public async Task Incoming_calls_at_a_rate_each_get_their_own_linkedid()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();

        using (simulator.SimulateIncomingCalls(TimeSpan.FromSeconds(10), duration: TimeSpan.FromSeconds(1)))
        {
            scheduler.AdvanceBy(TimeSpan.FromSeconds(35).Ticks);
        }

        scheduler.AdvanceBy(TimeSpan.FromSeconds(60).Ticks);
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        var created = (await client.ReadToEndAsync()).OfType<AmiEvent>().Where(e => e.Is("Newchannel")).ToList();

        Assert.Equal(3, created.Count);
        Assert.Equal(3, created.Select(e => e["Linkedid"]).Distinct().Count());
        Assert.All(created, e => Assert.Equal(e["Uniqueid"], e["Linkedid"]));
    }
}
