using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// A call's first channel id is held once for its channel list and its Linkedids; these pin
/// down that neither list changes under the other, and that numbers are read as the server
/// wrote them.
/// </summary>
public class CallTrackerIdListTests
{
    [Fact]
    public void States_already_published_keep_their_channel_list_when_legs_join_and_leave()
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"));
        var first = fold.States.Single();

        fold.Feed(Newchannel("s2", "SIP/bob-00000002", "s1"));
        fold.Feed(Hangup("s1", 16, "s1"));

        Assert.Equal(["s1"], first.UniqueIds);
        Assert.Equal(["s1", "s2"], fold.Updates[^2].UniqueIds);
        Assert.Equal(["s2"], fold.Updates[^1].UniqueIds);
    }

    [Fact]
    public void The_first_channel_leaving_does_not_take_the_calls_Linkedid_with_it()
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"));
        fold.Feed(Newchannel("s2", "SIP/bob-00000002", "s1"));

        fold.Feed(Hangup("s1", 16, "s1"));
        fold.Feed(Newchannel("s3", "SIP/carol-00000003", "s1"));

        Assert.Equal(["s2", "s3"], fold.Updates[^1].UniqueIds);
        Assert.Equal("s1", fold.Updates[^1].CallId);
        Assert.Equal(1, fold.Tracker.CallCount);
    }

    [Theory]
    [InlineData("17", HangupCause.UserBusy)]
    [InlineData("+17", HangupCause.UserBusy)]
    [InlineData("017", HangupCause.UserBusy)]
    [InlineData("17x", null)]
    [InlineData("", null)]
    [InlineData("99999999999", null)]
    public void A_hangup_cause_counts_only_when_the_whole_header_is_a_number(string cause, HangupCause? expected)
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"));

        fold.Feed(AmiEvent.Create("Hangup", ("Channel", "SIP/alice-00000001"), ("Uniqueid", "s1"), ("Linkedid", "s1"), ("Cause", cause)));

        var ended = fold.States.Last();
        Assert.Equal(CallChange.Ended, ended.Change);
        Assert.Equal(expected, ended.HangupCause);
    }

    [Theory]
    [InlineData("6", ChannelState.Up)]
    [InlineData("6 ", null)]
    [InlineData("up", null)]
    public void A_channel_state_counts_only_when_the_whole_header_is_a_number(string state, ChannelState? expected)
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"));

        fold.Feed(AmiEvent.Create("Newstate", ("Channel", "SIP/alice-00000001"), ("ChannelState", state), ("Uniqueid", "s1"), ("Linkedid", "s1")));

        Assert.Equal(expected ?? ChannelState.Ring, fold.States.Last().ChannelState);
    }
}
