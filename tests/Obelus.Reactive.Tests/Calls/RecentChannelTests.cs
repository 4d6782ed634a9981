using System.Text;
using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The fold finds the channels of the last few events from an event's id bytes, without the map;
/// what it finds that way must be what the map holds, never a channel that has left it.
/// </summary>
public class RecentChannelTests
{
    [Fact]
    public void A_late_state_of_a_channel_that_hung_up_changes_no_call()
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"), Hangup("s1", 16, "s1"));
        Assert.Equal(CallChange.Ended, fold.StatesOf("s1").Last().Change);
        var updates = fold.Updates.Count;

        fold.Feed(Newstate("s1", 6, "s1"), SoftHangupRequest("s1", 17), Hangup("s1", 17, "s1"));

        Assert.Equal(updates, fold.Updates.Count);
        Assert.Equal(0, fold.Tracker.CallCount);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Theory]
    [InlineData(AmiDialect.Modern)]
    [InlineData(AmiDialect.Legacy)]
    public void A_late_dial_end_of_a_channel_that_hung_up_changes_no_call(AmiDialect dialect)
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"));
        fold.Feed(DialBegin(dialect, "s1", "s2"), Hangup("s1", 16, "s1"));
        var updates = fold.Updates.Count;

        fold.Feed(DialEnd(dialect, "s1", "s2", "BUSY"));

        Assert.Equal(updates, fold.Updates.Count);
        Assert.Null(fold.StatesOf("s1").Last().DialStatus);
    }

    [Fact]
    public void After_a_lost_connection_the_channels_seen_before_it_are_unknown()
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"));
        fold.LoseConnection();
        Assert.Equal(CallOutcome.Lost, fold.StatesOf("s1").Last().Outcome);
        var updates = fold.Updates.Count;

        fold.Feed(Newstate("s1", 6, "s1"), Hangup("s1", 16, "s1"));

        Assert.Equal(updates, fold.Updates.Count);
        Assert.Contains(fold.Logger.Entries, e => e.Message.Contains("Hangup of unknown channel s1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_channel_record_reused_under_a_new_id_is_not_found_by_the_old_one()
    {
        var fold = new FoldHarness();
        fold.Feed(Newchannel("s1", "SIP/alice-00000001", "s1"), Newstate("s1", 4, "s1"), Hangup("s1", 16, "s1"));

        // The new channel takes the record s1 had; a late event of s1 must not reach it.
        fold.Feed(Newchannel("s2", "SIP/bob-00000002", "s2"), Newstate("s2", 4, "s2"));
        var updates = fold.Updates.Count;
        fold.Feed(Newstate("s1", 6, "s1"));

        Assert.Equal(updates, fold.Updates.Count);
        Assert.Equal(ChannelState.Ring, fold.StatesOf("s2").Last().ChannelState);
    }

    [Fact]
    public void Ids_that_differ_only_beyond_ascii_are_told_apart()
    {
        var recent = new RecentChannels();

        // Two chars, U+00C3 U+00A9: the same two units as the UTF-8 bytes of "é" read one by one.
        recent.Note(new TrackedChannel(IdKey.From("\u00C3\u00A9")));

        Assert.Null(recent.Find(IdKey.From(Encoding.UTF8.GetBytes("é"))));
        Assert.NotNull(recent.Find(IdKey.From("\u00C3\u00A9")));
    }

    [Fact]
    public void An_id_is_found_from_its_bytes_and_only_by_its_exact_case()
    {
        var recent = new RecentChannels();
        var channel = new TrackedChannel(IdKey.From("pbx-1733059200.15"));
        recent.Note(channel);

        Assert.Same(channel, recent.Find(IdKey.From("pbx-1733059200.15"u8)));
        Assert.Null(recent.Find(IdKey.From("PBX-1733059200.15"u8)));
        Assert.Null(recent.Find(IdKey.From("pbx-1733059200.1"u8)));
        Assert.Null(recent.Find(IdKey.From("pbx-1733059200.16"u8)));
    }

    [Fact]
    public void A_fifth_channel_takes_the_place_of_the_first()
    {
        var recent = new RecentChannels();
        var channels = Enumerable.Range(1, 5).Select(i => new TrackedChannel(IdKey.From($"c{i}"))).ToList();
        foreach (var channel in channels)
        {
            recent.Note(channel);
        }

        Assert.Null(recent.Find(IdKey.From("c1"u8)));
        Assert.All(channels.Skip(1), c => Assert.Same(c, recent.Find(c.Id)));
    }

    [Fact]
    public void Noting_a_channel_twice_keeps_one_place_for_it()
    {
        var recent = new RecentChannels();
        var first = new TrackedChannel(IdKey.From("c1"));
        recent.Note(first);
        recent.Note(first);
        foreach (var id in new[] { "c2", "c3", "c4" })
        {
            recent.Note(new TrackedChannel(IdKey.From(id)));
        }

        Assert.Same(first, recent.Find(IdKey.From("c1"u8)));
    }

    [Fact]
    public void A_dropped_channel_is_not_found()
    {
        var recent = new RecentChannels();
        var channel = new TrackedChannel(IdKey.From("c1"));
        recent.Note(channel);

        recent.Drop(channel);

        Assert.Null(recent.Find(IdKey.From("c1"u8)));
        Assert.Null(recent.Find(IdKey.From("c1")));
    }
}
