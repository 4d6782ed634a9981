using Obelus.Reactive.Calls;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

public class IdListTests
{
    [Fact]
    public void Ids_come_back_in_the_order_they_were_added()
    {
        var list = default(IdList);
        foreach (var id in new[] { "a", "b", "c" })
        {
            list.Add(IdKey.From(id));
        }

        var seen = new List<string>();
        foreach (var id in list)
        {
            seen.Add(id.ToString());
        }

        Assert.Equal(3, list.Count);
        Assert.Equal(["a", "b", "c"], seen);
    }

    [Fact]
    public void Contains_finds_the_first_id_and_the_later_ones()
    {
        var list = default(IdList);
        list.Add(IdKey.From("first"));
        list.Add(IdKey.From("linked-1"));

        Assert.True(list.Contains(IdKey.From("first")));
        Assert.True(list.Contains(IdKey.From("linked-1"u8)));
        Assert.False(list.Contains(IdKey.From("other")));
    }

    [Fact]
    public void A_cleared_list_is_empty()
    {
        var list = default(IdList);
        list.Add(IdKey.From("a"));
        list.Add(IdKey.From("b"));

        list.Clear();

        Assert.Equal(0, list.Count);
        Assert.False(list.Contains(IdKey.From("a")));
        foreach (var id in list)
        {
            Assert.Fail($"Enumerated {id}");
        }
    }
}
