using Microsoft.Extensions.Logging;
using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class CallTrackerBindingTests
{
    private const string Var = FoldHarness.TrackingVariable;

    [Fact]
    public void Newchannel_of_our_channel_does_not_make_the_call_tracked()
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(Newchannel("u1", "Local/100@default-00000001;1"));

        Assert.DoesNotContain(fold.Updates, u => u.UniqueIds.Count > 0);
    }

    [Fact]
    public void VarSet_of_the_tracking_variable_binds_the_channel()
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(Newchannel("u1", "Local/100@default-00000001;1"), VarSet("u1", Var, "1"));

        Assert.Equal(["u1"], fold.Updates.Last().UniqueIds);
        Assert.Equal("1", fold.Updates.Last().CallId);
    }

    [Fact]
    public void VarSet_of_another_variable_does_not_bind()
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(Newchannel("u1", "Local/100@default-00000001;1"), VarSet("u1", "X_OTHER", "1"));

        Assert.DoesNotContain(fold.Updates, u => u.UniqueIds.Count > 0);
    }

    [Fact]
    public void VarSet_with_an_unknown_value_does_not_bind_and_logs_a_warning()
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(Newchannel("u1", "Local/100@default-00000001;1"), VarSet("u1", Var, "zzz"));

        Assert.DoesNotContain(fold.Updates, u => u.UniqueIds.Count > 0);
        Assert.Contains(fold.Logger.At(LogLevel.Warning), m => m.Contains("'zzz'", StringComparison.Ordinal));
    }

    [Fact]
    public void VarSet_naming_one_of_our_ended_calls_is_ignored_quietly()
    {
        var fold = new FoldHarness();
        var serial = fold.Originate("1", async: false);
        fold.Respond(serial, Error("a-1"));

        fold.Feed(Newchannel("u1", "Local/100@default-00000001;1"), VarSet("u1", Var, "1"));

        Assert.Empty(fold.Logger.At(LogLevel.Warning));
        Assert.Single(fold.States);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void LocalBridge_adds_the_second_half(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(VarSet("u1", Var, "1"), LocalBridge(dialect, "u1", "u2"));

        Assert.Equal(["u1", "u2"], fold.Updates.Last().UniqueIds);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void LocalBridge_of_another_call_is_ignored(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(VarSet("u1", Var, "1"), LocalBridge(dialect, "o1", "o2"));

        Assert.Equal(["u1"], fold.Updates.Last().UniqueIds);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void Hangup_of_unknown_channel_before_LocalBridge_does_not_end_the_call(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        fold.Queue("1");

        fold.Feed(VarSet("u1", Var, "1"), Hangup("u2", 16), LocalBridge(dialect, "u1", "u2"));

        Assert.DoesNotContain(fold.States, s => s.IsTerminal);
        Assert.Equal(["u1", "u2"], fold.Updates.Last().UniqueIds);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void Hangup_of_last_channel_ends_the_call(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        fold.Queue("1", async: false);
        fold.Feed(VarSet("u1", Var, "1"), LocalBridge(dialect, "u1", "u2"), Hangup("u1", 0));
        Assert.DoesNotContain(fold.States, s => s.IsTerminal);

        fold.Feed(Hangup("u2", 0));

        var ended = fold.States.Last();
        Assert.Equal(CallChange.Ended, ended.Change);
        Assert.Equal(HangupCause.NotDefined, ended.HangupCause);
        Assert.Equal("Unknown", ended.HangupCauseText);
        Assert.Empty(ended.UniqueIds);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void Dialing_started_and_finished_busy_on_the_second_half(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"), LocalBridge(dialect, "u1", "u2"));

        fold.Feed(DialBegin(dialect, "u2", "sip1"), DialEnd(dialect, "u2", "sip1", "BUSY"));

        Assert.Equal([CallChange.Queued, CallChange.DialingStarted, CallChange.DialingFinished], fold.States.Select(s => s.Change));
        Assert.Equal("BUSY", fold.States.Last().DialStatus);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void Dial_of_another_call_is_ignored(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"));

        fold.Feed(DialBegin(dialect, "o2", "sip1"), DialEnd(dialect, "o2", "sip1", "ANSWER"));

        Assert.Equal([CallChange.Queued], fold.States.Select(s => s.Change));
    }

    [Theory]
    [InlineData(AmiDialect.Legacy)]
    [InlineData(AmiDialect.Modern)]
    public void State_changes_only_when_the_number_changes(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"), LocalBridge(dialect, "u1", "u2"));

        fold.Feed(Newstate("u1", 5), Newstate("u2", 5), Newstate("u1", 6));

        var changes = fold.States.Where(s => s.Change == CallChange.StateChanged).Select(s => s.ChannelState).ToList();
        Assert.Equal([ChannelState.Ringing, ChannelState.Up], changes);
        Assert.Equal("Up", fold.States.Last().ChannelStateDescription);
    }

    [Theory]
    [InlineData(AmiDialect.Legacy, true)]
    [InlineData(AmiDialect.Legacy, false)]
    [InlineData(AmiDialect.Modern, true)]
    [InlineData(AmiDialect.Modern, false)]
    public void Both_hangup_orders_end_once_with_cause_21(AmiDialect dialect, bool firstHalfFirst)
    {
        var fold = new FoldHarness();
        fold.Queue("1", async: false);
        fold.Feed(VarSet("u1", Var, "1"), LocalBridge(dialect, "u1", "u2"));

        fold.Feed(firstHalfFirst ? [Hangup("u1", 21), Hangup("u2", 0)] : [Hangup("u2", 0), Hangup("u1", 21)]);

        var ended = Assert.Single(fold.States, s => s.IsTerminal);
        Assert.Equal(HangupCause.CallRejected, ended.HangupCause);
        Assert.Equal("Call Rejected", ended.HangupCauseText);
    }

    [Fact]
    public void Non_zero_cause_wins_and_zero_only_fills_an_empty_one()
    {
        var fold = new FoldHarness();
        fold.Queue("1", async: false);
        fold.Feed(VarSet("u1", Var, "1"));

        fold.Feed(SoftHangupRequest("u1", 32), SoftHangupRequest("u1", 16), Hangup("u1", 0));

        var ended = fold.States.Last();
        Assert.Equal(CallChange.Ended, ended.Change);
        Assert.Equal(HangupCause.NormalClearing, ended.HangupCause);
        Assert.Equal("Normal Clearing", ended.HangupCauseText);
    }

    [Fact]
    public void Unnamed_cause_numbers_are_kept()
    {
        var fold = new FoldHarness();
        fold.Queue("1", async: false);
        fold.Feed(VarSet("u1", Var, "1"), Hangup("u1", 32));

        Assert.Equal((HangupCause)32, fold.States.Last().HangupCause);
        Assert.Equal("Unknown", fold.States.Last().HangupCauseText);
    }

    [Fact]
    public void Channel_with_a_chosen_id_is_bound_from_its_first_event_without_VarSet()
    {
        var fold = new FoldHarness();
        fold.Queue("1", channelId: "ch-1", otherChannelId: "ch-1-2");

        fold.Feed(Newchannel("ch-1", "Local/100@default-00000001;1", "ch-1"));
        Assert.Equal(["ch-1"], fold.Updates.Last().UniqueIds);

        fold.Feed(Newchannel("ch-1-2", "Local/100@default-00000001;2", "ch-1"));
        Assert.Equal(["ch-1", "ch-1-2"], fold.Updates.Last().UniqueIds);
    }

    [Fact]
    public void Channels_joining_the_call_Linkedid_are_legs_of_it()
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(Newchannel("u1", "Local/800@default-1;1", "u1"), Newchannel("u2", "Local/800@default-1;2", "u1"), VarSet("u1", Var, "1"));
        Assert.Equal(["u1", "u2"], fold.Updates.Last().UniqueIds);

        fold.Feed(Newchannel("t1", "IAX2/peer-1", "u1"), Newstate("t1", 5, "u1", "IAX2/peer-1"));

        Assert.Equal(["u1", "u2", "t1"], fold.Updates.Last().UniqueIds);
        Assert.DoesNotContain(fold.States, s => s.Direction == CallDirection.Incoming);
    }

    [Fact]
    public void Candidates_waiting_on_one_Linkedid_bind_in_arrival_order_after_one_of_them_left()
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(
            Newchannel("u1", "Local/800@default-1;1", "u1"),
            Newchannel("u2", "Local/800@default-1;2", "u1"),
            Newchannel("t1", "IAX2/peer-1", "u1"),
            Newchannel("t2", "IAX2/peer-2", "u1"),
            Hangup("u2", 16, "u1"));
        Assert.Empty(fold.States.Skip(1));

        fold.Feed(VarSet("u1", Var, "1"));
        Assert.Equal(["u1", "t1", "t2"], fold.Updates.Last().UniqueIds);

        fold.Feed(Hangup("t1", 16), Hangup("u1", 16), Hangup("t2", 16), OriginateResponse("a-1", success: true, reason: 4, uniqueId: "u1"));
        Assert.Equal(CallChange.Ended, fold.States.Last().Change);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void A_call_that_binds_a_channel_of_another_calls_Linkedid_takes_none_of_that_calls_legs()
    {
        var fold = new FoldHarness();

        // An incoming call owns Linkedid b1. Two channels first seen without a Linkedid learn b1
        // only once that call owns it, so they wait as candidates on it.
        fold.Feed(Newchannel("b1", "SIP/bob-00000001", "b1"), Newstate("b1", 4, "b1"));
        fold.Feed(Newchannel("x1", "SIP/xavier-00000002"), Newstate("x1", 5, "b1"));
        fold.Feed(Newchannel("y1", "SIP/yann-00000003"), Newstate("y1", 5, "b1"));

        // Our call's variable on one of them binds that one to our call, and b1 stays the
        // incoming call's: the other candidate on it is not ours to take.
        fold.Queue("1");
        fold.Feed(VarSet("y1", Var, "1"));

        Assert.Equal(["y1"], fold.Updates.Last(u => u.CallId == "1").UniqueIds);
        Assert.Equal(["b1"], fold.Updates.Last(u => u.CallId == "b1").UniqueIds);
    }

    [Fact]
    public void OriginateResponse_binds_the_channel_it_names_when_nothing_else_did()
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(
            Newchannel("u1", "Local/100@default-1;1", "u1"),
            Newchannel("u2", "Local/100@default-1;2", "u1", state: 4),
            Newstate("u2", 6, "u1", "Local/100@default-1;2"),
            Newstate("u1", 6, "u1", "Local/100@default-1;1"));
        Assert.Single(fold.States);

        fold.Feed(OriginateResponse("a-1", success: true, reason: 4, uniqueId: "u1"));

        var state = fold.States.Last();
        Assert.Equal(CallChange.StateChanged, state.Change);
        Assert.Equal(ChannelState.Up, state.ChannelState);
        Assert.Equal(["u1", "u2"], fold.Updates.Last().UniqueIds);
    }

    [Fact]
    public void Bad_input_is_ignored_without_an_exception()
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"));

        fold.Feed(
            Obelus.Reactive.Protocol.AmiEvent.Create("Newchannel", ("Channel", "SIP/1-1")),
            Obelus.Reactive.Protocol.AmiEvent.Create("Newstate", ("Uniqueid", "u1")),
            Obelus.Reactive.Protocol.AmiEvent.Create("Newstate", ("Uniqueid", "u1"), ("ChannelState", "abc")),
            Obelus.Reactive.Protocol.AmiEvent.Create("Hangup", ("Channel", "x")),
            Obelus.Reactive.Protocol.AmiEvent.Create("VarSet", ("Variable", Var)),
            Obelus.Reactive.Protocol.AmiEvent.Create("LocalBridge", ("LocalOneUniqueid", "u1")),
            Obelus.Reactive.Protocol.AmiEvent.Create("DialEnd", ("DialStatus", "BUSY")),
            Obelus.Reactive.Protocol.AmiEvent.Create("OriginateResponse", ("Response", "Success")),
            VarSet("u1", Var, "1"),
            Hangup("nobody", 16),
            OriginateResponse("someone-else", true, 4, "zz"));

        Assert.Equal([CallChange.Queued], fold.States.Select(s => s.Change));
        Assert.Equal(["u1"], fold.Updates.Last().UniqueIds);
        Assert.Contains(fold.Logger.At(LogLevel.Debug), m => m.Contains("someone-else", StringComparison.Ordinal));
    }
}
