using System.Reactive.Linq;
using System.Text.RegularExpressions;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class CallManagerTrackingTests : ReactiveTest
{
    private const string Var = "X_TEST";

    private static readonly OriginateRequest Request = new() { Channel = "Local/100@default", Context = "default", Exten = "100" };

    private static CallManagerOptions Options(ChannelIdMode channelIds = ChannelIdMode.Never, TimeSpan? reconnectGrace = null) => new()
    {
        ObserverThreading = CallObserverThreading.Inline,
        ReconnectGrace = reconnectGrace ?? TimeSpan.FromSeconds(30),
        TrackingVariable = Var,
        UseChannelId = channelIds,
        ResponseTimeout = TimeSpan.FromTicks(500),
        BindTimeoutMargin = TimeSpan.FromTicks(100),
        OriginateResponseGrace = TimeSpan.FromTicks(50),
        DefaultOriginateTimeout = TimeSpan.FromTicks(1000),
    };

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    [Fact]
    public void Connection_loss_without_reconnect_grace_ends_every_live_call_as_lost()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(reconnectGrace: TimeSpan.Zero), scheduler);
        var first = scheduler.CreateObserver<CallState>();
        var second = scheduler.CreateObserver<CallState>();
        using var a = manager.Originate(Request).Subscribe(first);
        using var b = manager.Originate(Request).Subscribe(second);
        var ids = connection.Sent.Select(s => s.ActionId!).ToArray();
        connection.Respond(ids[0], Queued(ids[0]));
        connection.Push(VarSet("u1", Var, "1"));
        scheduler.AdvanceTo(50);

        connection.SetState(AmiConnectionStatus.Disconnected, new IOException("reset"));

        var firstEnd = first.Messages[^2].Value.Value;
        Assert.Equal(CallChange.Ended, firstEnd.Change);
        Assert.Equal(CallOutcome.Lost, firstEnd.Outcome);
        Assert.Contains("reset", firstEnd.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(System.Reactive.NotificationKind.OnCompleted, first.Messages[^1].Value.Kind);
        var secondEnd = Assert.Single(second.Messages, m => m.Value.Kind == System.Reactive.NotificationKind.OnNext).Value.Value;
        Assert.Equal(CallChange.Failed, secondEnd.Change);
        Assert.Equal(CallOutcome.Lost, secondEnd.Outcome);
        Assert.Equal(System.Reactive.NotificationKind.OnCompleted, second.Messages[^1].Value.Kind);
        Assert.Equal(0, manager.RetainedEntries);
    }

    [Fact]
    public void Event_stream_failure_ends_every_live_call_as_lost()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var states = new List<CallState>();
        var completed = false;
        using var call = manager.Originate(Request).Subscribe(states.Add, () => completed = true);
        connection.Respond(connection.LastSent.ActionId!, Queued(connection.LastSent.ActionId!));

        connection.FailEvents(new InvalidOperationException("read loop died"));

        Assert.Equal(CallOutcome.Lost, states[^1].Outcome);
        Assert.Contains("read loop died", states[^1].Failure!.Message, StringComparison.Ordinal);
        Assert.True(completed);
    }

    [Fact]
    public void Queued_and_tracked_snapshots_follow_the_calls()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        using var incoming = manager.IncomingCalls.Subscribe();
        using var a = manager.Originate(Request).Subscribe();
        using var b = manager.Originate(Request).Subscribe();
        var ids = connection.Sent.Select(s => s.ActionId!).ToArray();
        Assert.Empty(manager.QueuedCalls);

        connection.Respond(ids[0], Queued(ids[0]));
        connection.Respond(ids[1], Queued(ids[1]));
        Assert.Equal(["1", "2"], manager.QueuedCalls.Select(c => c.Id));
        Assert.Empty(manager.TrackedCalls);

        connection.Push(VarSet("u1", Var, "1"));
        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));
        Assert.Equal(["1", "s1"], manager.TrackedCalls.Select(c => c.Id));
        Assert.Equal(["u1"], manager.TrackedCalls[0].UniqueIds);

        connection.Push(OriginateResponse(ids[0], true, 4, "u1"));
        connection.Push(Hangup("u1", 16));
        Assert.Equal(["2"], manager.QueuedCalls.Select(c => c.Id));
        Assert.Equal(["s1"], manager.TrackedCalls.Select(c => c.Id));
    }

    [Fact]
    public void Unsubscribing_does_not_hang_up_and_the_call_is_still_tracked()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var seen = new List<CallState>();
        var subscription = manager.Originate(Request).Subscribe(seen.Add);
        var id = connection.LastSent.ActionId!;
        connection.Respond(id, Queued(id));
        connection.Push(VarSet("u1", Var, "1"));

        subscription.Dispose();
        connection.Push(Newstate("u1", 6));

        Assert.Single(connection.Sent);
        Assert.Single(seen);
        Assert.Equal(ChannelState.Up, Assert.Single(manager.TrackedCalls).Current!.ChannelState);
    }

    [Fact]
    public void No_incoming_calls_are_created_without_a_subscriber()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));

        Assert.Empty(manager.TrackedCalls);
        connection.Push(Hangup("s1", 16));
        Assert.Equal(0, manager.RetainedEntries);
    }

    [Fact]
    public void Incoming_call_is_handed_out_with_its_first_state_and_caller()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var calls = new List<Call>();
        using var subscription = manager.IncomingCalls.Subscribe(calls.Add);

        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));

        var call = Assert.Single(calls);
        Assert.Equal(CallDirection.Incoming, call.Direction);
        Assert.Equal("555", call.CallerIdNumber);
        Assert.Equal("SIP/alice-1", call.Channel);
        Assert.Equal(ChannelState.Ring, call.Current!.ChannelState);
        var late = new List<CallState>();
        using var states = call.States.Subscribe(late.Add);
        Assert.Equal([CallChange.StateChanged], late.Select(s => s.Change));

        connection.Push(Hangup("s1", 16));
        Assert.Equal([CallChange.StateChanged, CallChange.Ended], late.Select(s => s.Change));
        Assert.True(call.IsCompleted);
    }

    [Fact]
    public async Task Filters_whitelist_call_events_and_the_tracking_variable()
    {
        using var connection = new FakeAmiConnection { AutoRespond = a => AmiResponse.Create("Success", ("ActionID", a.ActionId!), ("Message", "Success")) };
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        await manager.SetupFiltersAsync();

        Assert.Equal(
            ["Filter Operation=Add Filter=Privilege: call,all", "Filter Operation=Add Filter=Variable: X_TEST"],
            connection.Sent.Select(a => $"{a.Name} Operation={a["Operation"]} Filter={a["Filter"]}"));
    }

    [Fact]
    public async Task Filters_are_added_again_after_a_reconnect()
    {
        using var connection = new FakeAmiConnection { AutoRespond = a => AmiResponse.Create("Success", ("ActionID", a.ActionId!), ("Message", "Success")) };
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        await manager.SetupFiltersAsync();

        connection.SetState(AmiConnectionStatus.Connected);
        Assert.Equal(2, connection.Sent.Count);
        connection.SetState(AmiConnectionStatus.Disconnected);
        connection.SetState(AmiConnectionStatus.Reconnecting);
        connection.SetState(AmiConnectionStatus.Connected);

        Assert.Equal(4, connection.Sent.Count);
        Assert.All(connection.Sent, a => Assert.Equal("Filter", a.Name));
    }

    [Fact]
    public void Filters_are_not_added_after_a_reconnect_unless_asked_for()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        connection.SetState(AmiConnectionStatus.Disconnected);
        connection.SetState(AmiConnectionStatus.Connected);

        Assert.Empty(connection.Sent);
    }

    [Fact]
    public void A_throwing_observer_does_not_stop_other_calls()
    {
        var logger = new ListLogger();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler(), logger);
        var good = new List<CallState>();
        using var bad = manager.Originate(Request).Subscribe(_ => throw new InvalidOperationException("user bug"));
        using var fine = manager.Originate(Request).Subscribe(good.Add);
        var ids = connection.Sent.Select(s => s.ActionId!).ToArray();

        connection.Respond(ids[0], Queued(ids[0]));
        connection.Respond(ids[1], Queued(ids[1]));
        connection.Push(VarSet("u2", Var, "2"));
        connection.Push(Newstate("u2", 6));

        Assert.Equal([CallChange.Queued, CallChange.StateChanged], good.Select(s => s.Change));
        Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public void Originate_from_inside_an_observer_does_not_deadlock()
    {
        using var connection = new FakeAmiConnection { AutoRespond = a => Queued(a.ActionId!) };
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var second = new List<CallState>();
        using var first = manager.Originate(Request).Take(1).Subscribe(_ => manager.Originate(Request).Subscribe(second.Add));

        Assert.Equal([CallChange.Queued], second.Select(s => s.Change));
        Assert.Equal(2, connection.Sent.Count);
    }

    [Fact]
    public void Dispose_ends_live_calls_as_lost_and_completes_incoming_calls()
    {
        using var connection = new FakeAmiConnection();
        var manager = new CallManager(connection, Options(), new TestScheduler());
        var states = new List<CallState>();
        var incomingDone = false;
        using var incoming = manager.IncomingCalls.Subscribe(_ => { }, () => incomingDone = true);
        var completed = false;
        using var call = manager.Originate(Request).Subscribe(states.Add, () => completed = true);
        connection.Respond(connection.LastSent.ActionId!, Queued(connection.LastSent.ActionId!));

        manager.Dispose();

        Assert.Equal(CallOutcome.Lost, states.Last().Outcome);
        Assert.True(completed);
        Assert.True(incomingDone);
        Assert.Throws<ObjectDisposedException>(() => manager.Originate(Request));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_connection_closed_for_good_completes_incoming_calls_and_fails_later_originates(bool byState)
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var incomingDone = false;
        using var incoming = manager.IncomingCalls.Subscribe(_ => { }, () => incomingDone = true);

        if (byState)
        {
            connection.SetState(AmiConnectionStatus.Closed);
        }
        else
        {
            connection.FailEvents(new IOException("gone"));
        }

        Assert.True(incomingDone);
        var late = new List<CallState>();
        var lateDone = false;
        using var lateIncoming = manager.IncomingCalls.Subscribe(_ => { }, () => lateDone = true);
        using var call = manager.Originate(Request).Subscribe(late.Add);
        Assert.True(lateDone);
        var failed = Assert.Single(late);
        Assert.Equal((CallChange.Failed, CallOutcome.Lost), (failed.Change, failed.Outcome));
        Assert.Contains(byState ? "closed" : "gone", failed.Failure!.Message, StringComparison.Ordinal);
    }
}
