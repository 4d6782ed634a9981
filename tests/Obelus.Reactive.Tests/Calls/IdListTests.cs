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
            list.Add(id);
        }

        var seen = new List<string>();
        foreach (var id in list)
        {
            seen.Add(id);
        }

        Assert.Equal(3, list.Count);
        Assert.Equal(["a", "b", "c"], seen);
    }

    [Fact]
    public void Find_gives_the_instance_held_not_the_one_asked_with()
    {
        var list = default(IdList);
        var held = new string("linked-1".AsSpan());
        list.Add("first");
        list.Add(held);

        var found = list.Find(new string("linked-1".AsSpan()));

        Assert.Same(held, found);
        Assert.Null(list.Find("other"));
    }

    [Fact]
    public void A_cleared_list_is_empty()
    {
        var list = default(IdList);
        list.Add("a");
        list.Add("b");

        list.Clear();

        Assert.Equal(0, list.Count);
        Assert.Null(list.Find("a"));
        foreach (var id in list)
        {
            Assert.Fail($"Enumerated {id}");
        }
    }
}
