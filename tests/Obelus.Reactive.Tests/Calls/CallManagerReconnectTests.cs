using System.Reactive;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// Calls across a reconnect, on the fake connection in virtual time: the manager keeps live calls
/// through the loss, and after the new login re-synchronises them from a Status list.
/// </summary>
public class CallManagerReconnectTests : ReactiveTest
{
    private const string Var = "X_TEST";
    private const long Grace = 1000;

    private static readonly OriginateRequest Request = new() { Channel = "Local/100@default", Context = "default", Exten = "100" };

    private static CallManagerOptions Options() => new()
    {
        ObserverThreading = CallObserverThreading.Inline,
        TrackingVariable = Var,
        UseChannelId = ChannelIdMode.Never,
        ResponseTimeout = TimeSpan.FromTicks(500),
        BindTimeoutMargin = TimeSpan.FromTicks(100),
        OriginateResponseGrace = TimeSpan.FromTicks(50),
        DefaultOriginateTimeout = TimeSpan.FromTicks(100_000),
        ReconnectGrace = TimeSpan.FromTicks(Grace),
    };

    private sealed class Rig : IDisposable
    {
        public Rig(bool trackIncoming = false)
        {
            Manager = new CallManager(Connection, Options(), Scheduler, Log);
            if (trackIncoming)
            {
                Incoming = Manager.IncomingCalls.Subscribe(Announced.Add);
            }
        }

        public TestScheduler Scheduler { get; } = new();

        public ListLogger Log { get; } = new();

        public FakeAmiConnection Connection { get; } = new();

        public CallManager Manager { get; }

        public List<Call> Announced { get; } = [];

        private IDisposable? Incoming { get; }

        /// <summary>Originates a call and lets the server accept it; returns its observer.</summary>
        public ITestableObserver<CallState> Originate(out IDisposable subscription)
        {
            var observer = Scheduler.CreateObserver<CallState>();
            subscription = Manager.Originate(Request).Subscribe(observer);
            var id = Connection.LastSent.ActionId!;
            Connection.Respond(id, Queued(id));
            return observer;
        }

        /// <summary>Loses the connection at <paramref name="lostAt"/>, logs in again at <paramref name="backAt"/>; returns the Status action sent.</summary>
        public AmiAction LoseAndReconnect(long lostAt, long backAt)
        {
            Scheduler.AdvanceTo(lostAt);
            Connection.SetState(AmiConnectionStatus.Disconnected, new IOException("reset"));
            Connection.SetState(AmiConnectionStatus.Reconnecting);
            Scheduler.AdvanceTo(backAt);
            Connection.SetState(AmiConnectionStatus.Connected);
            return Assert.Single(Connection.SentLists);
        }

        public void Dispose()
        {
            Incoming?.Dispose();
            Manager.Dispose();
            Connection.Dispose();
        }
    }

    private static List<CallState> Values(ITestableObserver<CallState> observer) =>
        observer.Messages.Where(m => m.Value.Kind == NotificationKind.OnNext).Select(m => m.Value.Value).ToList();

    private static bool Completed(ITestableObserver<CallState> observer) =>
        observer.Messages.Any(m => m.Value.Kind == NotificationKind.OnCompleted);

    [Fact]
    public void A_call_whose_channel_survived_continues_on_the_same_observable()
    {
        using var rig = new Rig();
        var observer = rig.Originate(out var subscription);
        using var _ = subscription;
        rig.Connection.Push(VarSet("u1", Var, "1"));
        rig.Connection.Push(Newstate("u1", 5));
        var call = Assert.Single(rig.Manager.QueuedCalls);

        var status = rig.LoseAndReconnect(lostAt: 100, backAt: 600);

        Assert.Equal("Status", status.Name);
        Assert.Equal(Var, status["Variables"]);
        Assert.Equal(2, Values(observer).Count);
        Assert.Equal(CallChange.StateChanged, call.Current!.Change);
        Assert.Same(call, Assert.Single(rig.Manager.QueuedCalls));

        rig.Scheduler.AdvanceTo(700);
        rig.Connection.RespondList(status.ActionId!, Status("u1", "Local/100@default-00000001;1", 6, Var, "1"));
        rig.Scheduler.AdvanceTo(800);
        rig.Connection.Push(Hangup("u1", 16));
        rig.Scheduler.AdvanceBy(Options().OriginateResponseGrace.Ticks);

        var states = Values(observer);
        Assert.Equal([CallChange.Queued, CallChange.StateChanged, CallChange.StateChanged, CallChange.Ended], states.Select(s => s.Change));
        Assert.Equal(ChannelState.Up, states[2].ChannelState);
        Assert.Equal(700, states[2].Timestamp.Ticks);
        Assert.Equal(CallOutcome.Answered, states[3].Outcome);
        Assert.Equal(HangupCause.NormalClearing, states[3].HangupCause);
        Assert.True(Completed(observer));
        Assert.Equal(0, rig.Manager.RetainedEntries);
    }

    [Fact]
    public void A_call_whose_channels_vanished_meanwhile_ends_as_lost_during_disconnect()
    {
        using var rig = new Rig();
        var observer = rig.Originate(out var subscription);
        using var _ = subscription;
        rig.Connection.Push(VarSet("u1", Var, "1"));
        rig.Connection.Push(Newstate("u1", 6));

        var status = rig.LoseAndReconnect(lostAt: 100, backAt: 600);
        rig.Scheduler.AdvanceTo(650);
        Assert.False(Completed(observer));
        rig.Connection.RespondList(status.ActionId!, Status("other", "SIP/9-00000009", 6, Var, null, linkedid: "elsewhere"));

        var end = Values(observer)[^1];
        Assert.Equal(CallChange.Ended, end.Change);
        Assert.Equal(CallOutcome.LostDuringDisconnect, end.Outcome);
        Assert.Equal(650, end.Timestamp.Ticks);
        Assert.Empty(end.UniqueIds);
        Assert.Contains("gone", end.Failure!.Message, StringComparison.Ordinal);
        Assert.True(Completed(observer));
        Assert.Empty(rig.Manager.QueuedCalls);
    }

    [Fact]
    public void Our_call_whose_channel_appeared_meanwhile_is_bound_by_its_tracking_variable()
    {
        using var rig = new Rig();
        var observer = rig.Originate(out var subscription);
        using var _ = subscription;

        var status = rig.LoseAndReconnect(lostAt: 100, backAt: 600);
        rig.Connection.RespondList(
            status.ActionId!,
            Status("u9-2", "Local/100@default-00000009;2", 6, Var, "1", linkedid: "u9"),
            Status("u9", "Local/100@default-00000009;1", 6, Var, "1"));
        Assert.Equal(["u9-2", "u9"], Assert.Single(rig.Manager.TrackedCalls).UniqueIds);
        rig.Connection.Push(Hangup("u9", 16));
        rig.Connection.Push(Hangup("u9-2", 16));
        rig.Scheduler.AdvanceBy(Options().OriginateResponseGrace.Ticks);

        var states = Values(observer);
        Assert.Equal([CallChange.Queued, CallChange.StateChanged, CallChange.Ended], states.Select(s => s.Change));
        Assert.Equal(["u9-2"], states[1].UniqueIds);
        Assert.Equal(CallOutcome.Answered, states[2].Outcome);
    }

    [Fact]
    public void A_channel_that_started_its_own_call_meanwhile_is_announced_as_incoming()
    {
        using var rig = new Rig(trackIncoming: true);

        var status = rig.LoseAndReconnect(lostAt: 100, backAt: 600);
        rig.Connection.RespondList(
            status.ActionId!,
            Status("leg", "Local/900@incoming-00000003;1", 6, Var, null, linkedid: "in1"),
            Status("in1", "IAX2/127.0.0.1:4569-1234", 6, Var, null),
            Status("own-local", "Local/5@default-00000004;1", 6, Var, null));

        var call = Assert.Single(rig.Announced);
        Assert.Equal("in1", call.Id);
        Assert.Equal(CallDirection.Incoming, call.Direction);
        Assert.Equal("IAX2/127.0.0.1:4569-1234", call.Channel);
        Assert.Equal(ChannelState.Up, call.Current!.ChannelState);
        Assert.Equal(["in1", "leg"], call.UniqueIds);

        rig.Connection.Push(Hangup("leg", 16));
        rig.Connection.Push(Hangup("in1", 16));
        Assert.Equal(CallOutcome.Answered, call.Current!.Outcome);
    }

    [Fact]
    public void Live_calls_end_as_lost_when_no_login_comes_within_the_grace()
    {
        using var rig = new Rig();
        var observer = rig.Originate(out var subscription);
        using var _ = subscription;
        rig.Connection.Push(VarSet("u1", Var, "1"));
        rig.Scheduler.AdvanceTo(100);
        rig.Connection.SetState(AmiConnectionStatus.Disconnected, new IOException("reset"));
        rig.Connection.SetState(AmiConnectionStatus.Reconnecting);

        rig.Scheduler.AdvanceTo(100 + Grace - 1);
        Assert.False(Completed(observer));
        rig.Scheduler.AdvanceTo(100 + Grace);

        var end = Values(observer)[^1];
        Assert.Equal(CallChange.Ended, end.Change);
        Assert.Equal(CallOutcome.Lost, end.Outcome);
        Assert.Equal(100 + Grace, end.Timestamp.Ticks);
        Assert.Contains("Not connected again", end.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("reset", end.Failure.Message, StringComparison.Ordinal);
        Assert.True(Completed(observer));
        Assert.Equal(0, rig.Manager.RetainedEntries);
    }

    [Fact]
    public void Live_calls_end_as_lost_when_the_status_action_fails()
    {
        using var rig = new Rig();
        var observer = rig.Originate(out var subscription);
        using var _ = subscription;
        rig.Connection.Push(VarSet("u1", Var, "1"));

        var status = rig.LoseAndReconnect(lostAt: 100, backAt: 600);
        rig.Scheduler.AdvanceTo(100 + Grace + 10);
        Assert.False(Completed(observer));
        rig.Connection.FailList(status.ActionId!, new AmiActionException("Status", AmiResponse.Create("Error", ("Message", "Permission denied"))));

        var end = Values(observer)[^1];
        Assert.Contains(rig.Log.Entries, e => e.Message.StartsWith("Could not re-synchronise", StringComparison.Ordinal));
        Assert.Equal(CallOutcome.Lost, end.Outcome);
        Assert.Contains("re-synchronise", end.Failure!.Message, StringComparison.Ordinal);
        Assert.True(Completed(observer));
        Assert.Equal(0, rig.Manager.RetainedEntries);
    }

    [Fact]
    public void Closing_for_good_during_the_wait_ends_live_calls_as_lost_at_once()
    {
        using var rig = new Rig();
        var observer = rig.Originate(out var subscription);
        using var _ = subscription;
        rig.Connection.Push(VarSet("u1", Var, "1"));
        rig.Scheduler.AdvanceTo(100);
        rig.Connection.SetState(AmiConnectionStatus.Disconnected, new IOException("reset"));
        rig.Scheduler.AdvanceTo(200);

        rig.Connection.SetState(AmiConnectionStatus.Closed, new AmiConnectionException("Gave up reconnecting"));

        var end = Values(observer)[^1];
        Assert.Equal(CallOutcome.Lost, end.Outcome);
        Assert.Equal(200, end.Timestamp.Ticks);
        Assert.Equal(0, rig.Manager.RetainedEntries);
    }

    [Fact]
    public void A_call_not_yet_accepted_when_the_connection_drops_fails_as_lost_at_once()
    {
        using var rig = new Rig();
        var observer = rig.Scheduler.CreateObserver<CallState>();
        using var subscription = rig.Manager.Originate(Request).Subscribe(observer);
        rig.Scheduler.AdvanceTo(100);

        rig.Connection.SetState(AmiConnectionStatus.Disconnected, new IOException("reset"));

        var end = Assert.Single(Values(observer));
        Assert.Equal(CallChange.Failed, end.Change);
        Assert.Equal(CallOutcome.Lost, end.Outcome);
        Assert.True(Completed(observer));
    }

    [Fact]
    public void No_status_is_sent_for_the_first_login()
    {
        using var connection = new FakeAmiConnection();
        connection.SetState(AmiConnectionStatus.Disconnected);
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        connection.SetState(AmiConnectionStatus.Connecting);
        connection.SetState(AmiConnectionStatus.Connected);

        Assert.Empty(connection.SentLists);
    }
}
