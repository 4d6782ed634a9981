using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class CallTrackerOriginateTests
{
    private const string Var = FoldHarness.TrackingVariable;

    [Fact]
    public void Originated_call_is_not_queued_before_the_response()
    {
        var fold = new FoldHarness();
        var serial = fold.Originate("1");
        Assert.Empty(fold.Updates);

        fold.Respond(serial, Queued("a-1"));

        var state = Assert.Single(fold.States);
        Assert.Equal(CallChange.Queued, state.Change);
        Assert.Equal("1", state.CallId);
        Assert.Equal("a-1", state.ActionId);
        Assert.Equal(CallDirection.Outgoing, state.Direction);
        Assert.Null(state.Outcome);
    }

    [Fact]
    public void Error_response_fails_the_call_with_its_message()
    {
        var fold = new FoldHarness();
        var serial = fold.Originate("1", async: false);

        fold.Respond(serial, Error("a-1", "Originate failed"));

        var state = Assert.Single(fold.States);
        Assert.Equal(CallChange.Failed, state.Change);
        Assert.Equal(new CallFailure("Originate failed"), state.Failure);
        Assert.Equal(CallOutcome.Failed, state.Outcome);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void OriginateResponse_failure_after_success_fails_the_call_with_its_reason()
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(OriginateResponse("a-1", success: false, reason: 0));

        Assert.Equal([CallChange.Queued, CallChange.Failed], fold.States.Select(s => s.Change));
        var failed = fold.States.Last();
        Assert.Equal(0, failed.Failure!.OriginateReason);
        Assert.Equal(CallOutcome.Failed, failed.Outcome);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void A_reason_0_failure_that_overtakes_its_channel_fails_the_call_and_the_late_channel_is_an_orphan()
    {
        // Seen on a real Asterisk 22: a Local channel into a missing context is made and hung up at
        // once, and the OriginateResponse can overtake the channel's events.
        var fold = new FoldHarness();
        fold.Queue("1", channelId: "ch-1", otherChannelId: "ch-1-2");

        fold.Feed(OriginateResponse("a-1", success: false, reason: 0, uniqueId: "ch-1"));
        fold.Feed(
            Newchannel("ch-1", "Local/999@nonexistent-00000001;1", "ch-1"),
            Newchannel("ch-1-2", "Local/999@nonexistent-00000001;2", "ch-1"),
            Hangup("ch-1-2", 0, "ch-1"),
            Hangup("ch-1", 0, "ch-1"));

        Assert.Equal([CallChange.Queued, CallChange.Failed], fold.States.Select(s => s.Change));
        Assert.Equal((CallOutcome.Failed, 0), (fold.States.Last().Outcome, fold.States.Last().Failure!.OriginateReason));
        Assert.DoesNotContain(fold.States, s => s.Direction == CallDirection.Incoming);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void OriginateResponse_busy_before_any_channel_fails_the_call_as_busy()
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(OriginateResponse("a-1", success: false, reason: 5));

        var failed = fold.States.Last();
        Assert.Equal(CallChange.Failed, failed.Change);
        Assert.Equal(CallOutcome.Busy, failed.Outcome);
        Assert.Equal(new CallFailure("Busy", 5), failed.Failure);
    }

    [Fact]
    public void Sending_failure_fails_the_call_with_the_exception_message()
    {
        var fold = new FoldHarness();
        var serial = fold.Originate("1");

        fold.Fail(serial, new InvalidOperationException("socket closed"));

        var state = Assert.Single(fold.States);
        Assert.Equal(CallChange.Failed, state.Change);
        Assert.Equal("socket closed", state.Failure!.Message);
    }

    [Fact]
    public void Response_that_never_comes_fails_the_call_after_the_response_timeout()
    {
        var fold = new FoldHarness();
        var serial = fold.Originate("1");

        fold.Expire(CallTimerKind.Response, serial);

        var state = Assert.Single(fold.States);
        Assert.Equal(CallChange.Failed, state.Change);
        Assert.Equal(FoldHarness.Start.AddSeconds(10), state.Timestamp);
        Assert.Contains("No response", state.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Synchronous_originate_waits_its_own_timeout_on_top_of_the_response_timeout()
    {
        var fold = new FoldHarness();
        var serial = fold.Originate("1", async: false);

        var timer = Assert.Single(fold.Timers);
        Assert.Equal(CallTimerKind.Response, timer.Kind);
        Assert.Equal(FoldHarness.Start.AddSeconds(40), timer.Due);
        Assert.Equal(serial, timer.Serial);
    }

    [Fact]
    public void Accepted_call_never_bound_fails_after_the_originate_timeout_plus_margin()
    {
        var fold = new FoldHarness();
        var serial = fold.Queue("1");

        fold.Expire(CallTimerKind.Bind, serial);

        Assert.Equal([CallChange.Queued, CallChange.Failed], fold.States.Select(s => s.Change));
        Assert.Equal(FoldHarness.Start.AddSeconds(40), fold.States.Last().Timestamp);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void Answered_synchronous_call_whose_channels_are_never_seen_ends_after_the_margin()
    {
        var fold = new FoldHarness();
        var serial = fold.Queue("1", async: false);

        fold.Expire(CallTimerKind.Bind, serial);

        Assert.Equal([CallChange.Queued, CallChange.Ended], fold.States.Select(s => s.Change));
        var ended = fold.States.Last();
        Assert.Equal(CallOutcome.Answered, ended.Outcome);
        Assert.Equal(FoldHarness.Start.AddSeconds(10), ended.Timestamp);
        Assert.Contains("none of its channels", ended.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void Timers_of_a_call_that_moved_on_do_nothing()
    {
        var fold = new FoldHarness();
        var serial = fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"));

        fold.Expire(CallTimerKind.Response, serial);
        fold.Expire(CallTimerKind.Bind, serial);

        Assert.Equal([CallChange.Queued], fold.States.Select(s => s.Change));
    }

    [Fact]
    public void Changes_that_beat_the_response_are_published_after_Queued()
    {
        var fold = new FoldHarness();
        var serial = fold.Originate("1");
        fold.Feed(VarSet("u1", Var, "1"), Newstate("u1", 5), Newstate("u1", 6));
        Assert.Empty(fold.States);

        fold.Respond(serial, Queued("a-1"));

        Assert.Equal(
            [(CallChange.Queued, ChannelState.Ringing), (CallChange.StateChanged, ChannelState.Ringing), (CallChange.StateChanged, ChannelState.Up)],
            fold.States.Select(s => (s.Change, s.ChannelState!.Value)));
        Assert.All(fold.States, s => Assert.Equal(["u1"], s.UniqueIds));
    }

    [Fact]
    public void Call_whose_channels_all_hung_up_before_the_response_ends_once_accepted_and_resolved()
    {
        var fold = new FoldHarness();
        var serial = fold.Originate("1");
        fold.Feed(VarSet("u1", Var, "1"), Newstate("u1", 6), Hangup("u1", 16), OriginateResponse("a-1", true, 4, "u1"));
        Assert.Empty(fold.States);

        fold.Respond(serial, Queued("a-1"));

        Assert.Equal([CallChange.Queued, CallChange.StateChanged, CallChange.Ended], fold.States.Select(s => s.Change));
        Assert.Equal(CallOutcome.Answered, fold.States.Last().Outcome);
    }

    [Fact]
    public void Last_hangup_before_the_OriginateResponse_waits_for_it()
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"), Hangup("u1", 0));
        Assert.Equal([CallChange.Queued], fold.States.Select(s => s.Change));

        fold.Now = fold.Now.AddSeconds(1);
        fold.Feed(OriginateResponse("a-1", success: false, reason: 0));

        var ended = fold.States.Last();
        Assert.Equal(CallChange.Ended, ended.Change);
        Assert.Equal(CallOutcome.Failed, ended.Outcome);
        Assert.Equal(FoldHarness.Start.AddSeconds(1), ended.Timestamp);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void Last_hangup_without_any_OriginateResponse_ends_the_call_after_the_grace()
    {
        var fold = new FoldHarness();
        var serial = fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"), Newstate("u1", 6), Hangup("u1", 16));

        fold.Expire(CallTimerKind.OriginateResponseGrace, serial);

        var ended = fold.States.Last();
        Assert.Equal(CallChange.Ended, ended.Change);
        Assert.Equal(CallOutcome.Answered, ended.Outcome);
        Assert.Equal(FoldHarness.Start.AddSeconds(2), ended.Timestamp);
    }

    [Fact]
    public void Synchronous_originate_ends_without_waiting_for_an_OriginateResponse()
    {
        var fold = new FoldHarness();
        fold.Queue("1", async: false);
        fold.Feed(VarSet("u1", Var, "1"), Hangup("u1", 16));

        Assert.Equal([CallChange.Queued, CallChange.Ended], fold.States.Select(s => s.Change));
        Assert.Equal(CallOutcome.Answered, fold.States.Last().Outcome);
    }

    [Fact]
    public void Connection_loss_ends_every_live_call_as_lost()
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"));
        fold.Originate("2");

        fold.LoseConnection("gone");

        var terminal = fold.States.Where(s => s.IsTerminal).ToList();
        Assert.Equal(2, terminal.Count);
        Assert.All(terminal, s => Assert.Equal(CallOutcome.Lost, s.Outcome));
        Assert.Equal(CallChange.Ended, terminal.Single(s => s.CallId == "1").Change);
        Assert.Equal(["u1"], terminal.Single(s => s.CallId == "1").UniqueIds);
        Assert.Equal(CallChange.Failed, terminal.Single(s => s.CallId == "2").Change);
        Assert.All(terminal, s => Assert.Equal("gone", s.Failure!.Message));
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void A_hundred_thousand_ended_calls_leave_nothing_behind()
    {
        var fold = new FoldHarness();
        var ended = 0;
        for (var i = 1; i <= 100_000; i++)
        {
            var id = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var serial = fold.Tracker.RegisterOutgoing(id, "a-" + id, true, TimeSpan.FromSeconds(30), "c" + id, "c" + id + "-2", fold.Now);
            ended += Count(fold.Tracker.ApplyOriginateResult(serial, Queued("a-" + id), null, fold.Now));
            ended += Count(fold.Tracker.Apply(Newchannel("c" + id, "Local/1@d-1;1", "c" + id), fold.Now));
            ended += Count(fold.Tracker.Apply(Newchannel("c" + id + "-2", "Local/1@d-1;2", "c" + id), fold.Now));
            ended += Count(fold.Tracker.Apply(OriginateResponse("a-" + id, true, 4, "c" + id), fold.Now));
            ended += Count(fold.Tracker.Apply(Hangup("c" + id, 16), fold.Now));
            ended += Count(fold.Tracker.Apply(Hangup("c" + id + "-2", 16), fold.Now));
            fold.Tracker.TakeTimers();
        }

        Assert.Equal(100_000, ended);
        Assert.Equal(0, fold.Tracker.RetainedEntries);

        static int Count(IReadOnlyList<CallUpdate> updates) => updates.Count(u => u.State?.Change == CallChange.Ended);
    }

    [Fact]
    public void After_a_peak_of_live_calls_the_emptied_maps_give_their_capacity_back()
    {
        const int Peak = 20_000;
        var fold = new FoldHarness();
        var serials = new List<long>();
        for (var i = 1; i <= Peak; i++)
        {
            var id = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var serial = fold.Tracker.RegisterOutgoing(id, "a-" + id, true, TimeSpan.FromSeconds(30), "c" + id, "c" + id + "-2", fold.Now);
            fold.Tracker.ApplyOriginateResult(serial, Queued("a-" + id), null, fold.Now);
            fold.Tracker.Apply(Newchannel("c" + id, "Local/1@d-1;1", "c" + id), fold.Now);
            fold.Tracker.Apply(Newchannel("c" + id + "-2", "Local/1@d-1;2", "c" + id), fold.Now);
            fold.Tracker.Apply(OriginateResponse("a-" + id, true, 4, "c" + id), fold.Now);
            serials.Add(serial);
        }

        var atPeak = fold.Tracker.RetainedCapacity;
        for (var i = 1; i <= Peak; i++)
        {
            var id = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fold.Tracker.Apply(Hangup("c" + id, 16), fold.Now);
            fold.Tracker.Apply(Hangup("c" + id + "-2", 16), fold.Now);
            fold.Tracker.TakeTimers();
        }

        Assert.True(atPeak >= 5 * Peak, $"the peak should fill the maps ({atPeak} entries of capacity)");
        Assert.Equal(0, fold.Tracker.RetainedEntries);
        Assert.True(fold.Tracker.RetainedCapacity <= 7 * 64, $"{fold.Tracker.RetainedCapacity} entries of capacity kept after every call ended");
    }

    [Fact]
    public void A_step_that_ends_every_call_at_once_leaves_no_room_kept_for_their_timers()
    {
        var fold = new FoldHarness();
        for (var i = 1; i <= 1_000; i++)
        {
            fold.Queue(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var before = fold.Timers.Count;

        fold.LoseConnection();

        // Each ended call stops the timer it still had running (its wait for a channel): handed
        // out once, then the room goes.
        Assert.Equal(1_000, fold.Timers.Skip(before).Count(t => t.Due is null && t.Kind == CallTimerKind.Bind));
        Assert.True(fold.Tracker.RetainedTimerCapacity >= 1_000, "the lost connection's step should have filled the timer list");
        Assert.Empty(fold.Tracker.TakeTimers());
        Assert.True(fold.Tracker.RetainedTimerCapacity <= 2 * 256, $"{fold.Tracker.RetainedTimerCapacity} timers of room kept after the step");
    }

    [Fact]
    public void A_call_the_fold_adopted_asks_for_no_timer_in_its_whole_life()
    {
        var fold = new FoldHarness(adoptUnknown: true);
        fold.Feed(
            Newchannel("s1", "Local/100@default-00000001;1", "s1"),
            VarSet("s1", FoldHarness.TrackingVariable, "adopted-1", "s1"),
            Newstate("s1", 6, "s1"),
            Hangup("s1", 16, "s1"));

        Assert.Equal(CallChange.Ended, fold.StatesOf("adopted-1").Last().Change);
        Assert.Empty(fold.Timers);
    }

    [Fact]
    public void Only_timers_that_were_started_are_stopped()
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(
            Newchannel("c1", "Local/100@default-00000001;1", "c1"),
            VarSet("c1", FoldHarness.TrackingVariable, "1", "c1"),
            OriginateResponse("a-1", true, 4, "c1"),
            Hangup("c1", 16, "c1"));

        Assert.Equal(CallChange.Ended, fold.StatesOf("1").Last().Change);
        var running = new HashSet<CallTimerKind>();
        foreach (var timer in fold.Timers)
        {
            if (timer.Due is not null)
            {
                running.Add(timer.Kind);
            }
            else
            {
                Assert.True(running.Remove(timer.Kind), $"{timer.Kind} stopped without running");
            }
        }

        Assert.Empty(running);
    }
}
