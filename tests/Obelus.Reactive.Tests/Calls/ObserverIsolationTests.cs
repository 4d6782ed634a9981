using Microsoft.Extensions.Logging;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// An observer that throws is detached and logged; every other observer of the same call, or of
/// the same incoming-call stream, gets every notification at the time it happens.
/// </summary>
public sealed class ObserverIsolationTests
{
    private static CallManagerOptions Options => new() { ObserverThreading = CallObserverThreading.Inline, UseChannelId = ChannelIdMode.Never, TrackingVariable = "X_TRACK" };

    [Fact]
    public void A_throwing_observer_of_a_call_neither_delays_nor_starves_the_others()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        var logger = new ListLogger();
        using var manager = new CallManager(connection, Options, scheduler, logger);
        Call? call = null;
        using var incoming = manager.IncomingCalls.Subscribe(c => call = c);
        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));

        var thrown = 0;
        using var throwing = call!.States.Subscribe(_ =>
        {
            thrown++;
            throw new InvalidOperationException("observer bug");
        });
        var good = scheduler.CreateObserver<CallState>();
        using var goodSubscription = call.States.Subscribe(good);
        scheduler.AdvanceTo(TimeSpan.FromSeconds(1).Ticks);
        connection.Push(Newstate("s1", 6, "s1"));
        scheduler.AdvanceTo(TimeSpan.FromSeconds(6).Ticks);
        connection.Push(Hangup("s1", 16));

        Assert.Equal(1, thrown);
        Assert.Equal(
            [(0L, CallChange.StateChanged), (TimeSpan.FromSeconds(1).Ticks, CallChange.StateChanged), (TimeSpan.FromSeconds(6).Ticks, CallChange.Ended)],
            good.Messages.Where(m => m.Value.HasValue).Select(m => (m.Time, m.Value.Value.Change)));
        Assert.Contains(logger.At(LogLevel.Error), m => m.Contains("observer threw", StringComparison.Ordinal));
    }

    [Fact]
    public void A_throwing_incoming_call_subscriber_makes_no_other_subscriber_miss_a_call()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options, new TestScheduler());
        using var throwing = manager.IncomingCalls.Subscribe(_ => throw new InvalidOperationException("handler bug"));
        var seen = new List<string>();
        using var good = manager.IncomingCalls.Subscribe(c => seen.Add(c.Id));

        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));
        connection.Push(Newchannel("s2", "SIP/bob-2", "s2"));
        connection.Push(Newstate("s2", 4, "s2"));

        Assert.Equal(["s1", "s2"], seen);
    }

    [Fact]
    public void An_observer_that_subscribes_late_gets_the_current_state_then_every_change_in_order()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options, new TestScheduler());
        Call? call = null;
        using var incoming = manager.IncomingCalls.Subscribe(c => call = c);
        connection.Push(Newchannel("s1", "SIP/alice-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));
        connection.Push(Newstate("s1", 6, "s1"));

        // Subscribing from inside another observer's notification keeps the order too.
        var late = new List<ChannelState?>();
        using var outer = call!.States.Subscribe(s =>
        {
            if (s.ChannelState == ChannelState.Up && late.Count == 0)
            {
                call.States.Subscribe(inner => late.Add(inner.ChannelState));
            }
        });
        connection.Push(Hangup("s1", 16));

        Assert.Equal([ChannelState.Up, ChannelState.Up], late);
    }
}
