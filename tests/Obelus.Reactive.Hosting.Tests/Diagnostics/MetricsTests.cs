using System.IO.Pipelines;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Hosting.Diagnostics.ObelusAmiTelemetry;

namespace Obelus.Reactive.Hosting.Tests.Diagnostics;

public class MetricsTests
{
    [Fact]
    public async Task Events_received_are_read_from_the_client_when_collected()
    {
        await using var host = await SimulatedHost.StartAsync();
        using var metrics = new MetricsRecorder(host.Metrics.Meter);
        var before = Assert.Single(metrics.Collect(EventsReceived)).Value;

        host.Simulator.EmitEventBurst(20);
        await host.Client.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatedHost.Timeout);   // answered after the burst was read
        var after = Assert.Single(metrics.Collect(EventsReceived));

        Assert.Equal(20, after.Value - before);
        Assert.Equal(("{event}", "default"), (after.Unit, after.Tags[ConnectionTag]));
    }

    [Fact]
    public async Task The_connection_status_reports_one_for_the_current_status()
    {
        await using var host = await SimulatedHost.StartAsync(name: "east");
        using var metrics = new MetricsRecorder(host.Metrics.Meter);

        var statuses = metrics.Collect(ConnectionStatus).ToDictionary(r => (string)r.Tags[StatusTag]!, r => r.Value);

        var expected = Enum.GetValues<AmiConnectionStatus>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => s == AmiConnectionStatus.Connected ? 1.0 : 0.0);
        Assert.Equal(expected, statuses);
        Assert.Equal(1, statuses["connected"]);
        Assert.All(metrics.Of(ConnectionStatus), r => Assert.Equal("east", r.Tags[ConnectionTag]));
    }

    [Fact]
    public async Task Dropped_events_are_counted_with_the_overflow_policy()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["EventOverflow"] = "DropOldest";
        settings["EventBufferCapacity"] = "4";
        await using var host = await SimulatedHost.StartAsync(settings, settle: false);
        using var metrics = new MetricsRecorder(host.Metrics.Meter);
        using var stuck = new ManualResetEventSlim();
        using var slow = host.Client.Events.Subscribe(_ => stuck.Wait(SimulatedHost.Timeout));

        host.Simulator.EmitEventBurst(50);
        await host.Client.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatedHost.Timeout);
        var dropped = Assert.Single(metrics.Collect(EventsDropped));
        stuck.Set();

        Assert.True(dropped.Value > 0);
        Assert.Equal(host.Client.EventsDropped, dropped.Value);
        Assert.Equal("drop_oldest", dropped.Tags[OverflowTag]);
    }

    [Fact]
    public async Task Protocol_errors_and_reconnect_attempts_are_counted()
    {
        await using var host = await SimulatedHost.StartAsync();
        using var metrics = new MetricsRecorder(host.Metrics.Meter);
        var reported = host.Client.ProtocolErrors.FirstAsync().ToTask();

        host.Simulator.InjectRaw(Encoding.ASCII.GetBytes("Hello: world\r\n\r\n"));
        await reported.WaitAsync(SimulatedHost.Timeout);
        host.Simulator.ResetConnections();
        await host.WaitForStatus(AmiConnectionStatus.Reconnecting);
        await Task.WhenAll(metrics.FirstAsync(ProtocolErrors), metrics.FirstAsync(Reconnects)).WaitAsync(SimulatedHost.Timeout);

        Assert.Equal(1, metrics.Sum(ProtocolErrors, ConnectionTag, "default"));
        Assert.Equal(1, metrics.Sum(Reconnects, ConnectionTag, "default"));
    }

    [Fact]
    public async Task Action_round_trips_are_timed_on_the_scheduler_and_counted_while_in_flight()
    {
        HoldingConnection? connection = null;
        await using var host = SimulatedHost.Create(transport: simulator => AmiTransport.FromPipe(_ =>
            ValueTask.FromResult<IDuplexPipe>(connection = new HoldingConnection(simulator.CreateConnection()))));
        await host.Host.StartAsync().WaitAsync(SimulatedHost.Timeout);
        using var metrics = new MetricsRecorder(host.Metrics.Meter);

        await host.Connection.Connection.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatedHost.Timeout);
        connection!.Hold();
        var unanswered = host.Connection.Connection.SendAsync(new AmiAction("Ping"));
        await connection.Held.Task.WaitAsync(SimulatedHost.Timeout);
        var inFlight = metrics.Sum(ActionsActive, ActionTag, "Ping");
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);   // the action timeout
        await Assert.ThrowsAsync<AmiTimeoutException>(() => unanswered.WaitAsync(SimulatedHost.Timeout));
        connection.Release();   // so that the Logoff at the end is answered

        Assert.Equal(1, inFlight);
        Assert.Equal(0, metrics.Sum(ActionsActive, ActionTag, "Ping"));
        var durations = metrics.Of(ActionDuration);
        Assert.Equal(2, durations.Count);
        Assert.Equal((0.0, "s"), (durations[0].Value, durations[0].Unit));
        Assert.False(durations[0].Tags.ContainsKey(ErrorTypeTag));
        Assert.Equal(10.0, durations[1].Value);
        Assert.Equal(typeof(AmiTimeoutException).FullName, durations[1].Tags[ErrorTypeTag]);
    }

    [Fact]
    public async Task Originates_are_counted_by_outcome_with_their_duration_and_live_calls_are_observed()
    {
        await using var host = await SimulatedHost.StartAsync();
        using var metrics = new MetricsRecorder(host.Metrics.Meter);
        var start = host.Scheduler.Now;

        var handled = host.WaitForAction("Originate");   // its steps are scheduled: the clock may move
        var states = host.Connection.Originate(new OriginateRequest { Channel = "Local/100@default", Context = "default", Exten = "100" }).Replay();
        using var running = states.Connect();
        await states.FirstAsync(s => s.Change == CallChange.Queued).ToTask().WaitAsync(SimulatedHost.Timeout);
        await handled;
        host.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(500).Ticks);
        await states.FirstAsync(s => s.ChannelState == ChannelState.Up).ToTask().WaitAsync(SimulatedHost.Timeout);
        var live = metrics.Collect(CallsActive).ToDictionary(r => (string)r.Tags[DirectionTag]!, r => r.Value);
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(30).Ticks);
        var end = await states.LastAsync().ToTask().WaitAsync(SimulatedHost.Timeout);
        var refused = await host.Connection.Originate(new OriginateRequest { Channel = "PJSIP/alice", Context = "default", Exten = "100", Async = false })
            .LastAsync().ToTask().WaitAsync(SimulatedHost.Timeout);

        Assert.Equal((CallOutcome.Answered, CallOutcome.Failed), (end.Outcome, refused.Outcome));
        Assert.Equal(new Dictionary<string, double> { ["outgoing"] = 1, ["incoming"] = 0 }, live);
        Assert.Equal(0, metrics.Collect(CallsActive).Sum(r => r.Value));
        Assert.Equal(1, metrics.Sum(Originates, OutcomeTag, "answered"));
        Assert.Equal(1, metrics.Sum(Originates, OutcomeTag, "failed"));
        var answered = Assert.Single(metrics.Of(CallDuration), r => Equals(r.Tags[OutcomeTag], "answered"));
        Assert.Equal("outgoing", answered.Tags[DirectionTag]);
        Assert.Equal((end.Timestamp - start).TotalSeconds, answered.Value);
        Assert.True(answered.Value > 0);
    }

    [Fact]
    public async Task Incoming_calls_are_timed_when_asked_for()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["MeasureIncomingCalls"] = "true";
        await using var host = await SimulatedHost.StartAsync(settings);
        using var metrics = new MetricsRecorder(host.Metrics.Meter);
        var incoming = host.Connection.Calls.IncomingCalls.Replay();
        using var watching = incoming.Connect();

        host.Simulator.SimulateIncomingCall("\"Guest\" <4569>", answer: true, duration: TimeSpan.FromSeconds(2));
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        var call = await incoming.FirstAsync().ToTask().WaitAsync(SimulatedHost.Timeout);
        var first = call.Current!;
        await call.States.FirstAsync(s => s.ChannelState == ChannelState.Up).ToTask().WaitAsync(SimulatedHost.Timeout);
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);
        var end = await call.States.LastAsync().ToTask().WaitAsync(SimulatedHost.Timeout);

        // Recorded by the connection's own subscription to the call, which may run after this one.
        var duration = await metrics.FirstAsync(CallDuration).WaitAsync(SimulatedHost.Timeout);
        Assert.Single(metrics.Of(CallDuration));
        Assert.Equal(("incoming", "answered"), (duration.Tags[DirectionTag], duration.Tags[OutcomeTag]));
        Assert.True(call.StartedAt <= first.Timestamp);
        Assert.Equal((end.Timestamp - call.StartedAt!.Value).TotalSeconds, duration.Value);
        Assert.True(duration.Value > 0);
        Assert.Empty(metrics.Of(Originates));
    }

    [Fact]
    public async Task A_call_nobody_watches_any_more_is_still_counted_when_it_ends()
    {
        await using var host = await SimulatedHost.StartAsync();
        using var metrics = new MetricsRecorder(host.Metrics.Meter);
        var seen = new List<CallState>();
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var handled = host.WaitForAction("Originate");
        var subscription = host.Connection.Originate(new OriginateRequest { Channel = "Local/busy@default", Context = "default", Exten = "100" })
            .Subscribe(state =>
            {
                lock (seen)
                {
                    seen.Add(state);
                }

                queued.TrySetResult();
            });
        await queued.Task.WaitAsync(SimulatedHost.Timeout);
        await handled;
        subscription.Dispose();
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);
        var counted = await metrics.FirstAsync(Originates).WaitAsync(SimulatedHost.Timeout);

        Assert.Equal("busy", counted.Tags[OutcomeTag]);
        lock (seen)
        {
            Assert.DoesNotContain(seen, s => s.IsTerminal);
        }
    }
}
