using System.Text;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// An id held by value must behave exactly as the string it stands for: equal when the texts are
/// equal (whichever way it was made), different otherwise, and the same text back.
/// </summary>
public class IdKeyTests
{
    public static TheoryData<string> Ids =>
    [
        "",
        "1764590400.1234",
        "pbx-east-1764590400.7",
        new string('9', IdKey.InlineLength),
        new string('9', IdKey.InlineLength + 1),
        "appel-é-北",
        "a\0",
    ];

    [Theory]
    [MemberData(nameof(Ids))]
    public void An_id_made_from_its_chars_equals_the_one_made_from_its_utf8_bytes(string id)
    {
        var fromChars = IdKey.From(id);
        var fromBytes = IdKey.From(Encoding.UTF8.GetBytes(id));

        Assert.Equal(fromChars, fromBytes);
        Assert.Equal(fromChars.GetHashCode(), fromBytes.GetHashCode());
        Assert.Equal(id, fromBytes.ToString());
        Assert.Equal(id.Length == 0, fromChars.IsEmpty);
    }

    [Theory]
    [InlineData("1764590400.1", "1764590400.2")]
    [InlineData("1764590400.1", "1764590400.10")]
    [InlineData("a", "a\0")]
    [InlineData("abc", "ABC")]
    [InlineData("999999999999999999999999", "9999999999999999999999999")]
    [InlineData("\u00C3\u00A9", "é")]
    public void Different_texts_are_different_ids(string one, string other)
    {
        Assert.NotEqual(IdKey.From(one), IdKey.From(other));
        Assert.NotEqual(IdKey.From(Encoding.UTF8.GetBytes(one)), IdKey.From(Encoding.UTF8.GetBytes(other)));
    }

    [Fact]
    public void Invalid_bytes_are_the_id_of_the_text_a_header_decodes_them_to()
    {
        byte[] bytes = [(byte)'a', 0xC3, (byte)'b'];

        Assert.Equal(IdKey.From(KnownHeaderNames.DecodeValue(bytes)), IdKey.From(bytes));
    }

    [Theory]
    [InlineData("obelus-7-1", "obelus-", true)]
    [InlineData("OBELUS-7-1", "obelus-", true)]
    [InlineData("1764590400.1", "obelus-", false)]
    [InlineData("obe", "obelus-", false)]
    [InlineData("obelus-0000000000000000000000000001", "obelus-", true)]
    [InlineData("north-é.1", "north-", true)]
    public void StartsWith_ignores_ascii_case(string id, string prefix, bool expected)
    {
        Assert.Equal(expected, IdKey.From(id).StartsWith(prefix));
    }

    [Fact]
    public void An_id_from_bytes_compares_with_one_from_a_string()
    {
        var id = IdKey.From("1764590400.42"u8);

        Assert.True(id == IdKey.From("1764590400.42"));
        Assert.False(id == IdKey.From("1764590400.4"));
    }
}
