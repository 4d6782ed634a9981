using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>Calls as objects: placed and kept, carrying your own state, and one stream of every call.</summary>
public sealed class CallObjectTests
{
    private static readonly OriginateRequest Request = new() { Channel = "Local/100@default", Context = "default", Exten = "100" };

    private static CallManagerOptions Options(Func<Call, object?>? incomingState = null) =>
        new() { ObserverThreading = CallObserverThreading.Inline, UseChannelId = ChannelIdMode.Never, TrackingVariable = "X_TRACK", IncomingUserState = incomingState };

    private sealed record Ticket(string Customer);

    [Fact]
    public void A_placed_call_is_originated_once_and_carries_its_user_state()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        var call = manager.PlaceCall(Request, new Ticket("ACME"));
        var first = new List<CallChange>();
        var second = new List<CallChange>();
        using var a = call.States.Subscribe(s => first.Add(s.Change));
        using var b = call.States.Subscribe(s => second.Add(s.Change));
        var actionId = connection.LastSent.ActionId!;
        connection.Respond(actionId, Queued(actionId));
        connection.Push(VarSet("u1", "X_TRACK", call.Id));
        connection.Push(Hangup("u1", 16));
        connection.Push(OriginateResponse(actionId, true, 4, "u1"));

        Assert.Single(connection.Sent, s => s.Name == "Originate");
        Assert.Equal(new Ticket("ACME"), call.UserState);
        Assert.Equal([CallChange.Queued, CallChange.Ended], first);
        Assert.Equal(first, second);
        Assert.True(call.IsCompleted);
    }

    [Fact]
    public void Calls_gives_the_live_calls_first_then_each_new_one_once()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var placed = manager.PlaceCall(Request, "first");
        connection.Respond(connection.LastSent.ActionId!, Queued(connection.LastSent.ActionId!));
        var ended = manager.PlaceCall(Request, "ended");
        connection.Respond(connection.LastSent.ActionId!, Error(connection.LastSent.ActionId!, "Originate failed"));

        var seen = new List<Call>();
        var completed = false;
        using var all = manager.Calls.Subscribe(seen.Add, () => completed = true);
        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));
        var later = manager.PlaceCall(Request, "later");

        Assert.Equal([placed.Id, "s1", later.Id], seen.Select(c => c.Id));
        Assert.DoesNotContain(ended, seen);
        Assert.Equal(CallDirection.Incoming, seen[1].Direction);
        Assert.NotNull(seen[1].Current);
        connection.SetState(Obelus.Reactive.Client.AmiConnectionStatus.Closed);
        Assert.True(completed);
    }

    [Fact]
    public void A_call_keeps_when_it_started_after_it_has_changed_and_ended()
    {
        using var connection = new FakeAmiConnection();
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(TimeSpan.FromMinutes(3).Ticks);
        using var manager = new CallManager(connection, Options(), scheduler);
        var placed = manager.PlaceCall(Request);
        Assert.Null(placed.StartedAt);
        var calls = new List<Call>();
        using var incoming = manager.IncomingCalls.Subscribe(calls.Add);

        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));
        var call = Assert.Single(calls);
        var began = call.Current!.Timestamp;
        scheduler.AdvanceBy(TimeSpan.FromSeconds(7).Ticks);
        connection.Push(Newstate("s1", 6, "s1"));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);
        connection.Push(Hangup("s1", 16));

        Assert.True(call.IsCompleted);
        Assert.Equal(began, call.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(12), call.Current!.Timestamp - call.StartedAt!.Value);
    }

    [Fact]
    public void Incoming_calls_get_the_user_state_the_options_choose()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(call => new Ticket(call.Channel!)), new TestScheduler());
        var calls = new List<Call>();
        using var incoming = manager.IncomingCalls.Subscribe(calls.Add);

        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));

        var call = Assert.Single(calls);
        Assert.Equal(new Ticket("SIP/alice-1"), call.UserState);
    }

    [Fact]
    public void A_throwing_user_state_factory_leaves_the_state_null_and_the_call_handed_out()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(_ => throw new InvalidOperationException("factory bug")), new TestScheduler());
        var calls = new List<Call>();
        using var incoming = manager.IncomingCalls.Subscribe(calls.Add);

        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));

        Assert.Null(Assert.Single(calls).UserState);
    }
}
