using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class CallTrackerIncomingTests
{
    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void Local_channels_never_become_incoming_calls(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        var linkedid = dialect == AmiDialect.Modern ? "l1" : null;

        fold.Feed(Newchannel("l1", "Local/100@default-00000001;1", linkedid), Newstate("l1", 4, linkedid, "Local/100@default-00000001;1"), Hangup("l1", 16));

        Assert.Empty(fold.Updates);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Theory]
    [InlineData("local/100@default-00000001;1", false)]
    [InlineData("LOCAL/100@default-00000001;1", false)]
    [InlineData("Local", true)]
    [InlineData("SIP/Local-00000001", true)]
    public void Only_a_name_starting_with_Local_slash_in_any_case_keeps_a_channel_from_being_incoming(string name, bool incoming)
    {
        var fold = new FoldHarness();

        fold.Feed(Newchannel("c1", name, "c1"), Newstate("c1", 4, "c1", name), Hangup("c1", 16));

        Assert.Equal(incoming, fold.States.Any());
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void Non_Local_channel_becomes_incoming_on_its_first_Newstate_and_ends_on_Hangup(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        var linkedid = dialect == AmiDialect.Modern ? "s1" : null;
        var newchannel = Newchannel("s1", "SIP/alice-00000001", linkedid, state: 0);

        fold.Feed(newchannel);
        Assert.Empty(fold.Updates);

        fold.Feed(Newstate("s1", 4, linkedid));
        var first = Assert.Single(fold.Updates);
        Assert.True(first.IsNew);
        Assert.Same(newchannel, first.Origin);
        Assert.Equal(CallDirection.Incoming, first.State!.Direction);
        Assert.Equal("s1", first.State.CallId);
        Assert.Equal(ChannelState.Ring, first.State.ChannelState);
        Assert.Equal(["s1"], first.State.UniqueIds);

        fold.Feed(Newstate("s1", 4, linkedid), Hangup("s1", 16));

        var ended = fold.States.Last();
        Assert.Equal(CallChange.Ended, ended.Change);
        Assert.Equal(HangupCause.NormalClearing, ended.HangupCause);
        Assert.Equal(CallOutcome.Cancelled, ended.Outcome);
        Assert.Equal(2, fold.States.Count());
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void Answered_incoming_call_ends_as_answered()
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"), Newstate("s1", 6, "s1"), Hangup("s1", 16));

        Assert.Equal([CallChange.StateChanged, CallChange.StateChanged, CallChange.Ended], fold.States.Select(s => s.Change));
        Assert.Equal(CallOutcome.Answered, fold.States.Last().Outcome);
    }

    [Fact]
    public void Channel_in_someone_elses_Linkedid_is_not_an_incoming_call()
    {
        var fold = new FoldHarness();

        fold.Feed(Newchannel("s2", "SIP/bob-00000002", "s1"), Newstate("s2", 5, "s1"), Hangup("s2", 16));

        Assert.Empty(fold.Updates);
    }

    [Fact]
    public void No_incoming_calls_are_created_when_nobody_tracks_them()
    {
        var fold = new FoldHarness(trackIncoming: false);

        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"));
        fold.Tracker.TrackIncoming = true;
        fold.Feed(Newstate("s1", 6, "s1"), Hangup("s1", 16));

        Assert.Empty(fold.Updates);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void Legs_of_an_incoming_call_belong_to_it()
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"));

        fold.Feed(Newchannel("s2", "SIP/bob-00000002", "s1"), Newstate("s2", 5, "s1"), Hangup("s1", 16));

        Assert.DoesNotContain(fold.States, s => s.IsTerminal);
        Assert.Single(fold.Updates, u => u.IsNew);

        fold.Feed(Hangup("s2", 16));
        Assert.Equal(CallChange.Ended, fold.States.Last().Change);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void A_channel_our_call_dials_is_a_leg_of_it_and_never_an_incoming_call(AmiDialect dialect)
    {
        // Asterisk 11 gives the dialed channel no Linkedid: only the Dial says whose it is.
        var fold = new FoldHarness();
        var linkedid = dialect == AmiDialect.Modern ? "l1" : null;
        fold.Queue("c1");
        fold.Feed(
            Newchannel("l1", "Local/100@default-00000001;1", linkedid),
            Newchannel("l2", "Local/100@default-00000001;2", linkedid),
            VarSet("l1", FoldHarness.TrackingVariable, "c1", linkedid),
            VarSet("l2", FoldHarness.TrackingVariable, "c1", linkedid),
            LocalBridge(dialect, "l1", "l2"),
            Newchannel("s9", "SIP/200-00000002", linkedid),
            DialBegin(dialect, "l2", "s9"),
            Newstate("s9", 5, linkedid, "SIP/200-00000002"),
            Newstate("s9", 6, linkedid, "SIP/200-00000002"),
            DialEnd(dialect, "l2", "s9", "ANSWER"),
            OriginateResponse("a-c1", success: true, reason: 4, "l1"),
            Hangup("l1", 16, linkedid),
            Hangup("l2", 16, linkedid));

        Assert.All(fold.States, s => Assert.Equal("c1", s.CallId));
        Assert.Contains(fold.States, s => s.UniqueIds.Contains("s9"));
        Assert.DoesNotContain(fold.States, s => s.IsTerminal);

        fold.Feed(Hangup("s9", 16, linkedid));

        var ended = fold.States.Last();
        Assert.Equal(CallChange.Ended, ended.Change);
        Assert.Equal(CallOutcome.Answered, ended.Outcome);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void An_incoming_call_that_goes_through_a_Local_channel_keeps_the_phone_it_dials(AmiDialect dialect)
    {
        // Before Asterisk 12 the Local halves are paired (LocalBridge) before either is the
        // call's: binding one half at the Dial must bring the other, and the phone it dials.
        var fold = new FoldHarness();
        var linkedid = dialect == AmiDialect.Modern ? "t1" : null;
        fold.Feed(
            Newchannel("t1", "SIP/trunk-00000001", linkedid),
            Newstate("t1", 4, linkedid, "SIP/trunk-00000001"),
            Newchannel("l1", "Local/200@default-00000002;1", linkedid),
            Newchannel("l2", "Local/200@default-00000002;2", linkedid),
            LocalBridge(dialect, "l1", "l2"),
            DialBegin(dialect, "t1", "l1"),
            Newchannel("p1", "SIP/phone-00000003", linkedid),
            DialBegin(dialect, "l2", "p1"),
            Newstate("p1", 5, linkedid, "SIP/phone-00000003"),
            Newstate("p1", 6, linkedid, "SIP/phone-00000003"),
            Hangup("t1", 16, linkedid),
            Hangup("l1", 16, linkedid),
            Hangup("l2", 16, linkedid));

        Assert.All(fold.States, s => Assert.Equal("t1", s.CallId));
        Assert.Contains(fold.States, s => s.UniqueIds.Contains("p1") && s.UniqueIds.Contains("l2"));
        Assert.DoesNotContain(fold.States, s => s.IsTerminal);

        fold.Feed(Hangup("p1", 16, linkedid));

        Assert.Equal(CallChange.Ended, fold.States.Last().Change);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void A_Local_half_that_hung_up_does_not_bind_the_channel_its_record_serves_next()
    {
        var fold = new FoldHarness();
        fold.Feed(
            Newchannel("t1", "SIP/trunk-00000001"),
            Newstate("t1", 4, channel: "SIP/trunk-00000001"),
            Newchannel("l1", "Local/200@default-00000002;1"),
            Newchannel("l2", "Local/200@default-00000002;2"),
            LocalBridge(AmiDialect.Legacy, "l1", "l2"),
            Hangup("l1", 16),
            Newchannel("s5", "SIP/other-00000005"),
            DialBegin(AmiDialect.Legacy, "t1", "l2"),
            Newstate("s5", 4, channel: "SIP/other-00000005"));

        Assert.DoesNotContain(fold.StatesOf("t1"), s => s.UniqueIds.Contains("s5"));
        Assert.Contains(fold.StatesOf("t1"), s => s.UniqueIds.Contains("l2"));
        Assert.Equal(CallDirection.Incoming, Assert.Single(fold.StatesOf("s5")).Direction);
    }

    [Fact]
    public void Unknown_tracking_value_starts_an_outgoing_call_when_adopting()
    {
        var fold = new FoldHarness(adoptUnknown: true);

        fold.Feed(VarSet("u1", FoldHarness.TrackingVariable, "abc"), Newstate("u1", 6), Hangup("u1", 16));

        Assert.True(fold.Updates.First().IsNew);
        Assert.Equal([CallChange.Queued, CallChange.StateChanged, CallChange.Ended], fold.StatesOf("abc").Select(s => s.Change));
        Assert.Equal(CallDirection.Outgoing, fold.States.Last().Direction);
        Assert.Equal(CallOutcome.Answered, fold.States.Last().Outcome);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }
}
