using System.Text;
using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The fold finds its records by the id each one holds, from an event's header bytes as well as
/// from a string: it must find exactly what it would have found by the string the header decodes
/// to, whatever the bytes are.
/// </summary>
public class RecordMapTests
{
    [Theory]
    [InlineData("1764590400.1234")]
    [InlineData("pbx-east-1764590400.7")]
    [InlineData("appel-é-北")]
    [InlineData("")]
    public void A_key_is_found_from_its_utf8_bytes(string key)
    {
        var map = MapOf(key, "other");

        Assert.True(map.TryGetValue(Encoding.UTF8.GetBytes(key), out var found));
        Assert.Equal(key, found.Text);
    }

    [Fact]
    public void Invalid_bytes_find_the_key_they_decode_to_as_a_header_value()
    {
        byte[] bytes = [(byte)'a', 0xC3, (byte)'b'];
        var decoded = Obelus.Reactive.Protocol.KnownHeaderNames.DecodeValue(bytes);
        var map = MapOf(decoded);

        Assert.Equal("a\uFFFDb", decoded);
        Assert.True(map.TryGetValue(bytes, out var found));
        Assert.Equal(decoded, found.Text);
    }

    [Fact]
    public void A_key_too_long_to_hold_inline_is_found()
    {
        var key = new string('7', 1_000);
        var map = MapOf(key);

        Assert.True(map.TryGetValue(Encoding.UTF8.GetBytes(key), out var found));
        Assert.Equal(key, found.Text);
        Assert.False(map.TryGetValue(Encoding.UTF8.GetBytes(key + "8"), out _));
    }

    [Fact]
    public void Bytes_of_another_case_or_an_empty_map_find_nothing()
    {
        var map = new RecordMap<Keyed>();
        Assert.False(map.TryGetValue("abc"u8, out _));

        map.Set(new Keyed("abc"));
        Assert.False(map.TryGetValue("ABC"u8, out _));
        Assert.False(map.TryGetValue("ABC", out _));
        Assert.True(map.TryGetValue("abc"u8, out _));
        Assert.True(map.TryGetValue("abc", out _));
    }

    [Fact]
    public void Setting_a_record_replaces_the_one_with_the_same_key()
    {
        var map = new RecordMap<Keyed>();
        var first = new Keyed("1764590400.1");
        var second = new Keyed(new string("1764590400.1".AsSpan()));
        map.Set(first);
        map.Set(second);

        Assert.Equal(1, map.Count);
        Assert.True(map.TryGetValue("1764590400.1", out var found));
        Assert.Same(second, found);
    }

    [Fact]
    public void Removing_by_key_removes_whichever_record_holds_it()
    {
        var map = MapOf("a", "b");

        Assert.True(map.Remove(IdKey.From("a")));
        Assert.False(map.Remove(IdKey.From("a")));
        Assert.False(map.TryGetValue("a"u8, out _));
        Assert.True(map.TryGetValue("b"u8, out _));
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void A_map_emptied_after_a_peak_gives_its_room_back()
    {
        var map = new RecordMap<Keyed>();
        var keys = Enumerable.Range(0, 10_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var key in keys)
        {
            map.Set(new Keyed(key));
        }

        var peak = map.Capacity;
        foreach (var key in keys.Skip(10))
        {
            map.Remove(IdKey.From(key));
        }

        map.TrimExcess(64);

        Assert.True(peak >= 10_000);
        Assert.InRange(map.Capacity, 64, 256);
        Assert.All(keys.Take(10), key => Assert.True(map.TryGetValue(key, out _)));
    }

    [Fact]
    public void Channels_with_non_ascii_ids_are_found_again_by_every_later_event()
    {
        var fold = new FoldHarness(adoptUnknown: true);
        fold.Feed(
            Newchannel("north-é.1", "Local/100@default-00000001;1", "north-é.1"),
            Newchannel("north-é.2", "Local/100@default-00000001;2", "north-é.1"),
            VarSet("north-é.1", FoldHarness.TrackingVariable, "appel-ü"),
            VarSet("north-é.2", FoldHarness.TrackingVariable, "appel-ü"),
            Newstate("north-é.1", 6, "north-é.1"));

        var states = fold.StatesOf("appel-ü").ToList();
        Assert.Equal(1, fold.Tracker.CallCount);
        Assert.Equal(["north-é.1", "north-é.2"], states.Last().UniqueIds);
        Assert.Equal(Obelus.Reactive.Calls.ChannelState.Up, states.Last().ChannelState);

        fold.Feed(Hangup("north-é.2", 16, "north-é.1"), Hangup("north-é.1", 16, "north-é.1"));

        Assert.Equal(CallChange.Ended, fold.StatesOf("appel-ü").Last().Change);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    private static RecordMap<Keyed> MapOf(params string[] keys)
    {
        var map = new RecordMap<Keyed>();
        foreach (var key in keys)
        {
            map.Set(new Keyed(key));
        }

        return map;
    }

    /// <summary>The least a record needs to be in a map.</summary>
    private sealed record Keyed(string Text) : IKeyedRecord
    {
        public IdKey Key { get; } = IdKey.From(Text);
    }
}
