using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class TrackCallsTests
{
    private static IObservable<AmiEvent> EventsOf(string capture) => Capture.Read(capture).OfType<AmiEvent>().ToObservable();

    [Fact]
    public void TrackCalls_over_a_capture_gives_the_call_bound_by_the_variable_and_the_incoming_one()
    {
        var calls = new List<(Call Call, List<CallState> States)>();

        EventsOf("incoming_iax2").TrackCalls("X_TRACK", scheduler: new TestScheduler()).Subscribe(call =>
        {
            var states = new List<CallState>();
            call.States.Subscribe(states.Add);
            calls.Add((call, states));
        });

        Assert.Equal(["iax1", "1795682169.79"], calls.Select(c => c.Call.Id));
        Assert.Equal(CallDirection.Outgoing, calls[0].Call.Direction);
        Assert.Equal(
            [CallChange.Queued, CallChange.DialingStarted, CallChange.StateChanged, CallChange.DialingStarted, CallChange.StateChanged, CallChange.DialingFinished, CallChange.DialingFinished, CallChange.Ended],
            calls[0].States.Select(s => s.Change));
        Assert.Equal(CallOutcome.Answered, calls[0].States[^1].Outcome);
        Assert.Equal(CallDirection.Incoming, calls[1].Call.Direction);
        Assert.Equal("IAX Guest", calls[1].Call.CallerIdName);
        Assert.Equal([CallChange.StateChanged, CallChange.Ended], calls[1].States.Select(s => s.Change));
    }

    [Fact]
    public void TrackCalls_without_a_tracking_variable_gives_incoming_calls_only()
    {
        var calls = EventsOf("incoming_iax2").TrackCalls(scheduler: new TestScheduler()).ToEnumerable().ToList();

        var call = Assert.Single(calls);
        Assert.Equal(CallDirection.Incoming, call.Direction);
    }

    [Fact]
    public void Source_ending_mid_call_ends_live_calls_as_lost_then_completes()
    {
        var states = new List<CallState>();
        var completed = false;

        EventsOf("status_resync_a").TrackCalls("X_TRACK", scheduler: new TestScheduler())
            .Subscribe(call => call.States.Subscribe(states.Add), () => completed = true);

        Assert.Equal(CallOutcome.Lost, states[^1].Outcome);
        Assert.Equal(CallChange.Ended, states[^1].Change);
        Assert.True(completed);
    }

    [Fact]
    public void Source_error_errors_every_live_call_then_the_sequence()
    {
        using var source = new Subject<AmiEvent>();
        var order = new List<string>();
        using var subscription = source.TrackCalls("X_TRACK", scheduler: new TestScheduler()).Subscribe(
            call => call.States.Subscribe(_ => { }, e => order.Add("call " + call.Id + ": " + e.Message)),
            e => order.Add("outer: " + e.Message));
        source.OnNext(VarSet("u1", "X_TRACK", "c1"));
        source.OnNext(Newchannel("s1", "SIP/alice-1", "s1"));
        source.OnNext(Newstate("s1", 4, "s1"));

        source.OnError(new InvalidOperationException("boom"));

        Assert.Equal(["call c1: boom", "call s1: boom", "outer: boom"], order);
    }

    [Fact]
    public void Invalid_tracking_variable_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Observable.Empty<AmiEvent>().TrackCalls("lower"));
    }
}
