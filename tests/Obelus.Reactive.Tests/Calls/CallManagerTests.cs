using System.Reactive.Linq;
using System.Text.RegularExpressions;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class CallManagerTests : ReactiveTest
{
    private const string Var = "X_TEST";

    private static readonly OriginateRequest Request = new() { Channel = "Local/100@default", Context = "default", Exten = "100" };

    private static CallManagerOptions Options(ChannelIdMode channelIds = ChannelIdMode.Never) => new()
    {
        TrackingVariable = Var,
        UseChannelId = channelIds,
        ResponseTimeout = TimeSpan.FromTicks(500),
        BindTimeoutMargin = TimeSpan.FromTicks(100),
        OriginateResponseGrace = TimeSpan.FromTicks(50),
        DefaultOriginateTimeout = TimeSpan.FromTicks(1000),
    };

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    [Fact]
    public void Tracking_variable_is_unique_per_manager_and_a_valid_variable_name()
    {
        using var connection = new FakeAmiConnection();
        using var first = new CallManager(connection);
        using var second = new CallManager(connection);

        Assert.Matches(new Regex("^X_[0-9A-F]{12}$"), first.TrackingVariable);
        Assert.Matches(new Regex("^[A-Z][_A-Z0-9]*$"), second.TrackingVariable);
        Assert.NotEqual(first.TrackingVariable, second.TrackingVariable);
    }

    [Fact]
    public void Invalid_tracking_variable_in_the_options_is_refused()
    {
        using var connection = new FakeAmiConnection();

        Assert.Throws<ArgumentException>(() => new CallManager(connection, new CallManagerOptions { TrackingVariable = "x-track" }));
    }

    [Fact]
    public void Call_ids_are_sequential()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        using var a = manager.Originate(Request).Subscribe();
        using var b = manager.Originate(Request).Subscribe();
        using var c = manager.Originate(Request).Subscribe();

        Assert.Equal(["1", "2", "3"], connection.Sent.Select(s => s[
            "Variable"]!.Split('=')[1]));
        Assert.Equal(3, connection.Sent.Select(s => s.ActionId).Distinct().Count());
    }

    [Fact]
    public void Originate_carries_the_tracking_variable_and_the_request()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var request = Request with { CallerId = "\"Sales\" <100>", Timeout = TimeSpan.FromSeconds(20), Variables = new Dictionary<string, string> { ["FOO"] = "bar" } };

        using var subscription = manager.Originate(request).Subscribe();

        var action = connection.LastSent;
        Assert.Equal("Originate", action.Name);
        Assert.Equal(
            ["Channel: Local/100@default", "Context: default", "Exten: 100", "Priority: 1", "Timeout: 20000", "CallerID: \"Sales\" <100>", "Async: true", "Variable: X_TEST=1", "Variable: FOO=bar"],
            action.Headers.Select(h => h.ToString()));
    }

    [Theory]
    [InlineData(ChannelIdMode.Auto, "11.0.0", true)]
    [InlineData(ChannelIdMode.Auto, "1.4", false)]
    [InlineData(ChannelIdMode.Always, "1.4", true)]
    [InlineData(ChannelIdMode.Never, "11.0.0", false)]
    public void Originate_chooses_channel_ids_when_the_server_supports_them(ChannelIdMode mode, string amiVersion, bool expected)
    {
        using var connection = new FakeAmiConnection { Banner = new AmiBanner("Asterisk Call Manager", amiVersion) };
        using var manager = new CallManager(connection, Options(mode), new TestScheduler());

        using var subscription = manager.Originate(Request).Subscribe();

        var channelId = connection.LastSent["ChannelId"];
        Assert.Equal(expected, channelId is not null);
        if (expected)
        {
            Assert.Equal(channelId + "-2", connection.LastSent["OtherChannelId"]);
            Assert.EndsWith("-1", channelId, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Invalid_request_is_refused_before_anything_is_sent()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        Assert.Throws<ArgumentException>(() => manager.Originate(Request with { CallerId = "x\r\nAction: Command" }));
        Assert.Throws<ArgumentException>(() => manager.Originate(Request with { Application = "Wait" }));
        Assert.Throws<ArgumentException>(() => manager.Originate(new OriginateRequest { Channel = "nochannel", Application = "Wait" }));
        Assert.Throws<ArgumentException>(() => manager.Originate(Request with { Variables = new Dictionary<string, string> { [Var] = "1" } }));
        Assert.Throws<ArgumentException>(() => manager.Originate(Request with { ExtraHeaders = [new("ActionID", "x")] }));
        Assert.Empty(connection.Sent);
    }

    [Fact]
    public void Answered_call_goes_queued_state_changed_ended_and_completes()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        string ActionId() => connection.LastSent.ActionId!;
        scheduler.At(300, () => connection.Respond(ActionId(), Queued(ActionId())));
        scheduler.At(400, () => connection.Push(VarSet("u1", Var, "1")));
        scheduler.At(500, () => connection.Push(Newstate("u1", 6)));
        scheduler.At(600, () => connection.Push(OriginateResponse(ActionId(), true, 4, "u1")));
        scheduler.At(700, () => connection.Push(Hangup("u1", 16)));

        var observer = scheduler.Start(() => manager.Originate(Request), created: 100, subscribed: 200, disposed: 10_000);

        var queued = new CallState { CallId = "1", Direction = CallDirection.Outgoing, Change = CallChange.Queued, Timestamp = At(300), ActionId = ActionId() };
        observer.Messages.AssertEqual(
            OnNext(300, queued),
            OnNext(500, queued with { Change = CallChange.StateChanged, ChannelState = ChannelState.Up, UniqueIds = ["u1"], Timestamp = At(500) }),
            OnNext(700, queued with { Change = CallChange.Ended, ChannelState = ChannelState.Up, HangupCause = HangupCause.NormalClearing, Outcome = CallOutcome.Answered, Timestamp = At(700) }),
            OnCompleted<CallState>(700));
        Assert.Equal(0, manager.RetainedEntries);
    }

    [Fact]
    public void Error_response_fails_the_call_with_the_message_and_completes()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        scheduler.At(300, () => connection.Respond(connection.LastSent.ActionId!, Error(connection.LastSent.ActionId!, "Originate failed")));

        var observer = scheduler.Start(() => manager.Originate(Request with { Async = false }), created: 100, subscribed: 200, disposed: 10_000);

        observer.Messages.AssertEqual(
            OnNext(300, new CallState { CallId = "1", Direction = CallDirection.Outgoing, Change = CallChange.Failed, Failure = new CallFailure("Originate failed"), Outcome = CallOutcome.Failed, Timestamp = At(300), ActionId = connection.LastSent.ActionId }),
            OnCompleted<CallState>(300));
    }

    [Fact]
    public void Response_that_never_comes_fails_the_call_after_the_response_timeout()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);

        var observer = scheduler.Start(() => manager.Originate(Request), created: 100, subscribed: 200, disposed: 10_000);

        Assert.Equal([700], observer.Messages.Where(m => m.Value.Kind == System.Reactive.NotificationKind.OnNext).Select(m => m.Time));
        Assert.Equal(CallChange.Failed, observer.Messages[0].Value.Value.Change);
        Assert.Equal(System.Reactive.NotificationKind.OnCompleted, observer.Messages[1].Value.Kind);
    }

    [Fact]
    public void Accepted_call_never_bound_fails_after_its_timeout_plus_the_margin()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        scheduler.At(300, () => connection.Respond(connection.LastSent.ActionId!, Queued(connection.LastSent.ActionId!)));

        var observer = scheduler.Start(() => manager.Originate(Request with { Timeout = TimeSpan.FromTicks(2000) }), created: 100, subscribed: 200, disposed: 10_000);

        Assert.Equal([300L, 2400L, 2400L], observer.Messages.Select(m => m.Time));
        Assert.Equal([CallChange.Queued, CallChange.Failed], observer.Messages.Take(2).Select(m => m.Value.Value.Change));
    }

    [Fact]
    public void Last_hangup_before_the_OriginateResponse_ends_the_call_after_the_grace()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        scheduler.At(300, () => connection.Respond(connection.LastSent.ActionId!, Queued(connection.LastSent.ActionId!)));
        scheduler.At(400, () => connection.Push(VarSet("u1", Var, "1")));
        scheduler.At(500, () => connection.Push(Hangup("u1", 0)));

        var observer = scheduler.Start(() => manager.Originate(Request), created: 100, subscribed: 200, disposed: 10_000);

        Assert.Equal([300L, 550L, 550L], observer.Messages.Select(m => m.Time));
        Assert.Equal(CallOutcome.Failed, observer.Messages[1].Value.Value.Outcome);
    }

    [Fact]
    public void Connection_loss_ends_every_live_call_as_lost()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
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
}
