using Obelus.Reactive.Calls;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// A call's states carry its live channel ids in a list that holds them by value: it must read as
/// the list of strings it stands for, and a change must leave the list a state already has alone.
/// </summary>
public class ChannelIdListTests
{
    [Fact]
    public void Ids_read_back_as_their_strings_in_the_order_they_came()
    {
        var ids = new[] { "1764590400.1", "1764590400.2", "pbx-east-1764590400.3", "appel-é-北", new string('7', 40) };
        var list = ChannelIdList.Empty;
        foreach (var id in ids)
        {
            list = list.Add(IdKey.From(id));
        }

        Assert.Equal(ids, list);
        Assert.Equal(ids.Length, list.Count);
        Assert.Equal(ids, Enumerable.Range(0, list.Count).Select(i => list.KeyAt(i).ToString()));
    }

    [Fact]
    public void A_change_makes_a_new_list_and_leaves_the_old_one_as_it_was()
    {
        var two = ChannelIdList.Empty.Add(IdKey.From("a")).Add(IdKey.From("b"));

        var three = two.Add(IdKey.From("c"));
        var withoutA = three.RemoveAt(0);

        Assert.Equal(["a", "b"], two);
        Assert.Equal(["a", "b", "c"], three);
        Assert.Equal(["b", "c"], withoutA);
        Assert.Empty(ChannelIdList.Empty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Removing_any_id_keeps_the_others_in_order(int index)
    {
        var ids = new[] { "c0", "c1", "c2", "c3", "c4" };
        var list = ids.Aggregate(ChannelIdList.Empty, (l, id) => l.Add(IdKey.From(id)));

        var rest = list.RemoveAt(list.IndexOf(IdKey.From(ids[index])));

        Assert.Equal(ids.Where((_, i) => i != index), rest);
    }

    [Fact]
    public void The_last_id_going_leaves_the_shared_empty_list()
    {
        var one = ChannelIdList.Empty.Add(IdKey.From("a"));

        Assert.Same(ChannelIdList.Empty, one.RemoveAt(0));
        Assert.Equal(-1, one.IndexOf(IdKey.From("b")));
    }

    [Fact]
    public void A_string_is_made_once_and_the_same_one_read_again()
    {
        var list = ChannelIdList.Empty.Add(IdKey.From("1764590400.1"));

        Assert.Same(list[0], list[0]);
    }

    [Fact]
    public void An_index_outside_the_list_is_refused()
    {
        var list = ChannelIdList.Empty.Add(IdKey.From("a"));

        Assert.Throws<ArgumentOutOfRangeException>(() => list[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list.KeyAt(1));
    }
}
