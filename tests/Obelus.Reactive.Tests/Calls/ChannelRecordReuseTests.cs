using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The fold reuses the record of a channel that hung up for the next new channel; nothing the
/// old channel was may show in the new one.
/// </summary>
public class ChannelRecordReuseTests
{
    [Fact]
    public void A_channel_after_a_Local_one_that_hung_up_busy_is_a_fresh_incoming_call()
    {
        var fold = new FoldHarness();
        fold.Feed(
            Newchannel("l1", "Local/100@default-00000001;1", "l1"),
            Newstate("l1", 4, "l1", channel: "Local/100@default-00000001;1"),
            SoftHangupRequest("l1", 17),
            Hangup("l1", 17, "l1"));
        Assert.Empty(fold.States);

        fold.Feed(
            Newchannel("s2", "SIP/alice-00000002", "s2"),
            Newstate("s2", 4, "s2"),
            Hangup("s2", 16, "s2"));

        // Rung and hung up with 16: cancelled by the caller, not busy as the old channel was.
        var states = fold.StatesOf("s2").ToList();
        Assert.Equal(CallDirection.Incoming, states[0].Direction);
        Assert.Null(states[0].HangupCause);
        Assert.Equal(CallOutcome.Cancelled, states[^1].Outcome);
        Assert.Equal(HangupCause.NormalClearing, states[^1].HangupCause);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void A_channel_after_one_that_was_bound_to_a_call_starts_unbound()
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"), Hangup("s1", 16, "s1"));
        Assert.Equal(CallChange.Ended, fold.StatesOf("s1").Last().Change);
        var updates = fold.Updates.Count;

        // A Local channel under a Linkedid nobody follows: a leg of no call, so no update at all.
        fold.Feed(Newchannel("s3", "Local/200@default-00000003;1", "x9"), Newstate("s3", 6, "x9", channel: "Local/200@default-00000003;1"));

        Assert.Equal(updates, fold.Updates.Count);
        Assert.Equal(0, fold.Tracker.CallCount);
    }
}
