using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>The manager follows at most MaxTrackedCalls calls: memory stays bounded whatever the server does.</summary>
public sealed class CallLimitTests
{
    private static readonly OriginateRequest Request = new() { Channel = "Local/100@default", Context = "default", Exten = "100" };

    private static CallManagerOptions Options => new() { ObserverThreading = CallObserverThreading.Inline, UseChannelId = ChannelIdMode.Never, TrackingVariable = "X_TRACK", MaxTrackedCalls = 3 };

    [Fact]
    public void Incoming_calls_past_the_limit_are_not_followed_and_are_counted()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options, new TestScheduler());
        var calls = new List<Call>();
        using var incoming = manager.IncomingCalls.Subscribe(calls.Add);

        for (var i = 1; i <= 1_000; i++)
        {
            connection.Push(Newchannel("s" + i, "SIP/trunk-" + i, "s" + i));
            connection.Push(Newstate("s" + i, 4, "s" + i));
        }

        Assert.Equal(["s1", "s2", "s3"], calls.Select(c => c.Id));
        Assert.Equal(997, manager.CallsRefused);
        Assert.Equal(3, manager.TrackedCalls.Count);

        // Room again once one ends: the next new call is followed.
        connection.Push(Hangup("s1", 16));
        connection.Push(Newchannel("t1", "SIP/trunk-t1", "t1"));
        connection.Push(Newstate("t1", 4, "t1"));
        Assert.Equal("t1", calls[^1].Id);
    }

    [Fact]
    public void An_originate_past_the_limit_fails_at_once_without_being_sent()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options, new TestScheduler());
        var placed = Enumerable.Range(0, 3).Select(_ => manager.PlaceCall(Request)).ToList();

        var refused = manager.PlaceCall(Request);

        Assert.Equal(3, connection.Sent.Count(a => a.Name == "Originate"));
        var state = refused.Current!;
        Assert.Equal((CallChange.Failed, CallOutcome.Failed), (state.Change, state.Outcome));
        Assert.Contains("MaxTrackedCalls", state.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(1, manager.CallsRefused);
    }

    [Fact]
    public void The_limit_must_be_positive()
    {
        Assert.Throws<ArgumentException>(() => new CallManagerOptions { MaxTrackedCalls = 0 }.Validate());
    }
}
