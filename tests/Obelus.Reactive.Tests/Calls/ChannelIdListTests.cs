using Obelus.Reactive.Calls;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// A call's record keeps its live channel ids by value and changes them in place; its states carry
/// lists made from them, which must read as the lists of strings they stand for and stay as they
/// were made whatever the record does next.
/// </summary>
public class ChannelIdListTests
{
    [Fact]
    public void Ids_read_back_as_their_strings_in_the_order_they_came()
    {
        var ids = new[] { "1764590400.1", "1764590400.2", "pbx-east-1764590400.3", "appel-é-北", new string('7', 40), "1764590400.6" };
        var live = Live(ids);

        var list = ChannelIdList.Of(in live);

        Assert.Equal(ids, list);
        Assert.Equal(ids.Length, list.Count);
        Assert.Equal(ids, Enumerable.Range(0, list.Count).Select(i => list.KeyAt(i).ToString()));
    }

    [Fact]
    public void A_list_made_before_a_change_stays_as_it_was()
    {
        var live = Live("a", "b");
        var two = ChannelIdList.Of(in live);

        live.Add(IdKey.From("c"));
        var three = ChannelIdList.Of(in live);
        live.Remove(IdKey.From("a"));

        Assert.Equal(["a", "b"], two);
        Assert.Equal(["a", "b", "c"], three);
        Assert.Equal(["b", "c"], ChannelIdList.Of(in live));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Removing_any_id_keeps_the_others_in_order(int index)
    {
        var ids = new[] { "c0", "c1", "c2", "c3", "c4", "c5" };
        var live = Live(ids);

        Assert.True(live.Remove(IdKey.From(ids[index])));

        Assert.Equal(ids.Where((_, i) => i != index), ChannelIdList.Of(in live));
        Assert.Equal(ids.Length - 1, live.Count);
    }

    [Fact]
    public void An_id_that_is_not_there_is_not_removed()
    {
        var live = Live("a");

        Assert.False(live.Remove(IdKey.From("b")));
        Assert.Equal(["a"], ChannelIdList.Of(in live));
    }

    [Fact]
    public void No_ids_give_the_shared_empty_list_however_they_went()
    {
        var live = Live("a", "b", "c", "d");
        live.Remove(IdKey.From("b"));
        live.Remove(IdKey.From("d"));
        live.Remove(IdKey.From("a"));
        live.Remove(IdKey.From("c"));

        Assert.Same(ChannelIdList.Empty, ChannelIdList.Of(in live));
        live.Add(IdKey.From("e"));
        Assert.Equal(["e"], ChannelIdList.Of(in live));
        Assert.Empty(ChannelIdList.Empty);
    }

    [Fact]
    public void A_string_is_made_once_and_the_same_one_read_again()
    {
        var live = Live("1764590400.1");
        var list = ChannelIdList.Of(in live);

        Assert.Same(list[0], list[0]);
    }

    [Fact]
    public void An_index_outside_the_list_is_refused()
    {
        var live = Live("a");
        var list = ChannelIdList.Of(in live);

        Assert.Throws<ArgumentOutOfRangeException>(() => list[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list.KeyAt(1));
    }

    private static LiveChannelIds Live(params string[] ids)
    {
        var live = default(LiveChannelIds);
        foreach (var id in ids)
        {
            live.Add(IdKey.From(id));
        }

        return live;
    }
}
