using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The whole stack (simulator, client, manager) on one TestScheduler: a single jump of the clock
/// gives what small steps give, with no real-time wait anywhere in the test.
/// </summary>
public class VirtualTimeTests
{
    public static TheoryData<string, string, CallOutcome> Destinations => new()
    {
        { "Local/answer@default", "100", CallOutcome.Answered },
        { "Local/long@default", "1000", CallOutcome.Answered },
        { "Local/busy@default", "100", CallOutcome.Busy },
        { "Local/noanswer@default", "100", CallOutcome.NoAnswer },
        { "Local/congestion@default", "100", CallOutcome.Congestion },
        { "Local/600@default", "100", CallOutcome.Busy },
        { "Local/999@nonexistent", "100", CallOutcome.Failed },
    };

    [Theory]
    [MemberData(nameof(Destinations))]
    public async Task One_jump_of_the_clock_gives_the_states_of_one_second_steps(string channel, string exten, CallOutcome outcome)
    {
        var jumped = await RunAsync(channel, exten, clock => clock.AdvanceBy(TimeSpan.FromMinutes(2).Ticks));
        var stepped = await RunAsync(channel, exten, clock =>
        {
            for (var i = 0; i < 120; i++)
            {
                clock.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
            }
        });

        Assert.Equal(outcome, jumped[^1].Outcome);
        Assert.Equal(stepped, jumped);
    }

    [Fact]
    public async Task Hundred_calls_of_every_outcome_end_right_after_one_jump_with_no_wait()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler, OriginateJitter = TimeSpan.FromMilliseconds(300) });
        await using var client = await ConnectAsync(simulator, scheduler);
        using var manager = new CallManager(client, scheduler: scheduler);
        var destinations = Destinations.Select(row => ((string)row[0], (string)row[1], (CallOutcome)row[2])).ToArray();

        var calls = Enumerable.Range(0, 100).Select(i =>
        {
            var (channel, exten, outcome) = destinations[i % destinations.Length];
            var states = new List<CallState>();
            var subscription = manager.Originate(new OriginateRequest { Channel = channel, Context = "default", Exten = exten }).Subscribe(states.Add);
            return (outcome, states, subscription);
        }).ToList();
        scheduler.AdvanceBy(TimeSpan.FromMinutes(2).Ticks);

        // Read at once: everything the simulator produced up to now has been delivered.
        Assert.All(calls, c => Assert.Equal(c.outcome, c.states[^1].Outcome));
        Assert.All(calls, c => Assert.Single(c.states, s => s.IsTerminal));
        Assert.Empty(manager.TrackedCalls);
    }

    [Fact]
    public async Task Incoming_calls_arrive_and_end_within_one_jump()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = await ConnectAsync(simulator, scheduler);
        using var manager = new CallManager(client, scheduler: scheduler);
        var ends = new List<CallState>();
        using var incoming = manager.IncomingCalls.SelectMany(c => c.States.LastAsync()).Subscribe(ends.Add);

        using var generator = simulator.SimulateIncomingCalls(TimeSpan.FromSeconds(10), answer: true, TimeSpan.FromSeconds(3));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(55).Ticks);

        Assert.Equal(5, ends.Count);
        Assert.All(ends, e => Assert.Equal(CallOutcome.Answered, e.Outcome));
    }

    [Fact]
    public async Task State_times_are_the_virtual_times_the_simulator_produced_the_events_at()
    {
        var states = await RunAsync("Local/long@default", "1000", clock => clock.AdvanceBy(TimeSpan.FromHours(1).Ticks));

        // Answered at once, hung up 30 s later: not when the clock stopped, an hour later.
        var answered = states.First(s => s.ChannelState == ChannelState.Up).Time;
        Assert.True(answered < TimeSpan.FromSeconds(1), answered.ToString());
        Assert.Equal(TimeSpan.FromSeconds(30), states[^1].Time - answered);
    }

    [Fact]
    public async Task An_action_sent_before_a_jump_is_answered_before_its_timeout()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = await ConnectAsync(simulator, scheduler);

        var pong = client.SendAsync(new Obelus.Reactive.Protocol.AmiAction("Ping"));
        scheduler.AdvanceBy(TimeSpan.FromMinutes(5).Ticks);

        Assert.True(pong.IsCompletedSuccessfully, pong.Exception?.ToString());
        Assert.Equal("Pong", (await pong)["Ping"]);
    }

    [Fact]
    public async Task An_observer_that_blocks_its_thread_slows_virtual_time_down_but_never_hangs_it_and_is_logged()
    {
        var scheduler = new TestScheduler();
        var log = new Obelus.Reactive.Tests.Client.CapturingLogger();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler, Logger = log, SettleTimeout = TimeSpan.FromMilliseconds(200) });
        await using var client = await ConnectAsync(simulator, scheduler);
        using var manager = new CallManager(client, scheduler: scheduler);
        using var release = new ManualResetEventSlim();
        var states = new List<CallState>();

        // Blocks the event delivery until the test lets it go, after the jump.
        using var call = manager.Originate(new OriginateRequest { Channel = "Local/answer@default", Context = "default", Exten = "100" })
            .Subscribe(s =>
            {
                lock (states)
                {
                    states.Add(s);
                }

                if (s.ChannelState == ChannelState.Up)
                {
                    release.Wait(SimulatorStack.Safety);
                }
            });
        scheduler.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        release.Set();

        Assert.Contains("Virtual time went on after waiting 00:00:00.2000000", log.All, StringComparison.Ordinal);
        Assert.Contains("still busy:", log.All, StringComparison.Ordinal);
    }

    /// <summary>Originates one call on a fresh stack, moves the clock with <paramref name="advance"/>, returns the states as seen at once.</summary>
    private static async Task<List<(CallChange Change, ChannelState? ChannelState, string? DialStatus, CallOutcome? Outcome, TimeSpan Time)>> RunAsync(string channel, string exten, Action<TestScheduler> advance)
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = await ConnectAsync(simulator, scheduler);
        using var manager = new CallManager(client, scheduler: scheduler);
        var states = new List<CallState>();
        var start = scheduler.Now;

        using var call = manager.Originate(new OriginateRequest { Channel = channel, Context = "default", Exten = exten }).Subscribe(states.Add);
        advance(scheduler);

        Assert.True(states.Count > 0 && states[^1].IsTerminal, $"not ended: {string.Join(", ", states.Select(s => s.Change))}");
        return states.Select(s => (s.Change, s.ChannelState, s.DialStatus, s.Outcome, s.Timestamp - start)).ToList();
    }

    private static Task<AmiClient> ConnectAsync(AmiSimulator simulator, TestScheduler scheduler) =>
        AmiClient.ConnectAsync(
            new AmiClientOptions { Host = "sim", Username = "obelus", Secret = "obelus", KeepAliveInterval = null },
            AmiTransport.FromPipe(_ => ValueTask.FromResult(simulator.CreateConnection())),
            scheduler).WaitAsync(SimulatorStack.Safety);
}
