using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The fold reuses the record of a call that ended for the next call it starts; nothing the old
/// call was may show in the new one.
/// </summary>
public class CallRecordReuseTests
{
    [Fact]
    public void An_incoming_call_after_an_outgoing_one_that_ended_busy_starts_with_nothing_of_it()
    {
        var fold = new FoldHarness();
        EndBusyBeforeItsResponse(fold);

        fold.Feed(Newchannel("s2", "SIP/bob-00000002", "s2"), Newstate("s2", 4, "s2"), Hangup("s2", 16, "s2"));

        var states = fold.StatesOf("s2").ToList();
        Assert.All(states, s => Assert.Equal(CallDirection.Incoming, s.Direction));
        Assert.All(states, s => Assert.Null(s.ActionId));
        Assert.All(states, s => Assert.Null(s.DialStatus));
        Assert.Null(states[0].HangupCause);
        Assert.Equal(ChannelState.Ring, states[0].ChannelState);
        Assert.Equal(["s2"], states[0].UniqueIds);
        Assert.Equal(CallOutcome.Cancelled, states[^1].Outcome);
        Assert.Null(states[^1].Failure);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void An_outgoing_call_after_one_that_failed_before_it_was_accepted_waits_for_its_own_channels()
    {
        var fold = new FoldHarness();
        var first = fold.Originate("1", async: false);

        // Its channel's events overtake the response: held back until the call is accepted.
        fold.Feed(VarSet("c1", FoldHarness.TrackingVariable, "1", "c1"), Newstate("c1", 5, "c1"));
        fold.Respond(first, Error("a-1"));
        Assert.Equal(CallChange.Failed, fold.StatesOf("1").Single().Change);

        var second = fold.Queue("2");

        var states = fold.StatesOf("2").ToList();
        var queued = Assert.Single(states);
        Assert.Equal(CallChange.Queued, queued.Change);
        Assert.Null(queued.ChannelState);
        Assert.Empty(queued.UniqueIds);
        Assert.Single(fold.StatesOf("1"));
        Assert.Equal(1, fold.Tracker.CallCount);

        // Asynchronous: it has its whole Originate timeout (30 s) and the margin (10 s) to show a
        // channel, not the margin alone as the synchronous call before it would have had.
        Assert.Contains(fold.Timers, t => t.Serial == second && t.Kind == CallTimerKind.Bind && t.Due == FoldHarness.Start + TimeSpan.FromSeconds(40));
    }

    [Fact]
    public void A_synchronous_call_after_one_that_failed_busy_is_held_until_accepted_and_ends_without_a_failure()
    {
        var fold = new FoldHarness();
        EndBusyBeforeItsResponse(fold);
        var serial = fold.Originate("2", async: false);

        fold.Feed(VarSet("c2", FoldHarness.TrackingVariable, "2", "c2"), Newstate("c2", 6, "c2"));
        Assert.Empty(fold.StatesOf("2"));
        fold.Respond(serial, Queued("a-2"));
        fold.Feed(Hangup("c2", 16, "c2"));

        var states = fold.StatesOf("2").ToList();
        Assert.Equal([CallChange.Queued, CallChange.StateChanged, CallChange.Ended], states.Select(s => s.Change));
        Assert.Equal(CallOutcome.Answered, states[^1].Outcome);
        Assert.Null(states[^1].Failure);
    }

    [Fact]
    public void An_asynchronous_call_after_one_that_ended_before_its_response_waits_for_its_own_response()
    {
        var fold = new FoldHarness();
        EndBusyBeforeItsResponse(fold);
        var serial = fold.Queue("2");

        fold.Feed(VarSet("c2", FoldHarness.TrackingVariable, "2", "c2"), Newstate("c2", 6, "c2"), Hangup("c2", 16, "c2"));

        // Its channels are gone, its OriginateResponse is still to come: it waits a grace period for it.
        Assert.DoesNotContain(fold.StatesOf("2"), s => s.IsTerminal);
        Assert.Contains(fold.Timers, t => t.Serial == serial && t.Kind == CallTimerKind.OriginateResponseGrace && t.Due is not null);
        fold.Feed(OriginateResponse("a-2", success: true, reason: 4, uniqueId: "c2"));
        Assert.Equal(CallOutcome.Answered, fold.StatesOf("2").Last().Outcome);
    }

    [Fact]
    public void A_call_after_one_with_a_chosen_channel_id_fails_at_once_when_its_Originate_fails_without_channels()
    {
        var fold = new FoldHarness();
        EndBusyBeforeItsResponse(fold);
        fold.Queue("2");

        // No channel id of its own: a failure names no channel that could still come.
        fold.Feed(OriginateResponse("a-2", success: false, reason: 5));

        Assert.Equal(CallChange.Failed, fold.StatesOf("2").Last().Change);
        Assert.Equal(0, fold.Tracker.CallCount);
    }

    [Fact]
    public void A_call_started_after_one_that_ended_during_a_resynchronisation_gap_is_not_part_of_the_gap()
    {
        var fold = new FoldHarness();
        fold.Queue("1", channelId: "c1");
        fold.Feed(Newchannel("c1", "SIP/alice-00000001", "c1"), Newstate("c1", 6, "c1"));
        fold.Tracker.EventsMissed("Events were dropped", fold.Now);
        fold.Feed(Hangup("c1", 16, "c1"), OriginateResponse("a-1", success: true, reason: 4, uniqueId: "c1"));
        Assert.Equal(CallChange.Ended, fold.StatesOf("1").Last().Change);

        // Not accepted yet: a gap that began before it does not judge it.
        fold.Originate("2");
        fold.Resync();

        Assert.Empty(fold.StatesOf("2"));
        Assert.Equal(1, fold.Tracker.CallCount);
    }

    /// <summary>
    /// Call "1": accepted, rung, busy, hung up before its OriginateResponse (a failure, reason 5)
    /// came. Its record then carries a value in nearly every field a new call starts without.
    /// </summary>
    private static void EndBusyBeforeItsResponse(FoldHarness fold)
    {
        fold.Queue("1", channelId: "c1");
        fold.Feed(
            Newchannel("c1", "SIP/alice-00000001", "c1"),
            Newstate("c1", 5, "c1"),
            DialEnd(AmiDialect.Modern, "c1", "d1", "BUSY"),
            SoftHangupRequest("c1", 17),
            Hangup("c1", 17, "c1"),
            OriginateResponse("a-1", success: false, reason: 5, uniqueId: "c1"));
        Assert.Equal(CallOutcome.Busy, fold.StatesOf("1").Last().Outcome);
    }
}
