using System.Text;
using Obelus.Reactive.Calls;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The fold finds ids it knows from an event's header bytes: it must find exactly what it would
/// have found by the string the header decodes to, whatever the bytes are.
/// </summary>
public class Utf8KeyLookupTests
{
    [Theory]
    [InlineData("1764590400.1234")]
    [InlineData("pbx-east-1764590400.7")]
    [InlineData("appel-é-北")]
    [InlineData("")]
    public void A_key_is_found_from_its_utf8_bytes(string key)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { [key] = "value", ["other"] = "no" };

        Assert.True(new Utf8KeyLookup<string>(map).TryGetValue(Encoding.UTF8.GetBytes(key), out var found));
        Assert.Equal("value", found);
    }

    [Fact]
    public void Invalid_bytes_find_the_key_they_decode_to_as_a_header_value()
    {
        byte[] bytes = [(byte)'a', 0xC3, (byte)'b'];
        var decoded = Obelus.Reactive.Protocol.KnownHeaderNames.DecodeValue(bytes);
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { [decoded] = "value" };

        Assert.Equal("a\uFFFDb", decoded);
        Assert.True(new Utf8KeyLookup<string>(map).TryGetValue(bytes, out var found));
        Assert.Equal("value", found);
    }

    [Fact]
    public void A_key_longer_than_the_stack_buffer_is_found()
    {
        var key = new string('7', 1_000);
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { [key] = "value" };

        Assert.True(new Utf8KeyLookup<string>(map).TryGetValue(Encoding.UTF8.GetBytes(key), out var found));
        Assert.Equal("value", found);
        Assert.False(new Utf8KeyLookup<string>(map).TryGetValue(Encoding.UTF8.GetBytes(key + "8"), out _));
    }

    [Fact]
    public void Bytes_of_another_case_or_an_empty_map_find_nothing()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = new Utf8KeyLookup<string>(map);
        Assert.False(lookup.TryGetValue("abc"u8, out _));

        map["abc"] = "value";
        Assert.False(lookup.TryGetValue("ABC"u8, out _));
        Assert.True(lookup.TryGetValue("abc"u8, out _));
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
}
