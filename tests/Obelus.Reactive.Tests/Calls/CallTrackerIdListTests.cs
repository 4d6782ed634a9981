using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// A call's first channel id is held once for its channel list and its Linkedids; these pin
/// down that neither list changes under the other.
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
}
