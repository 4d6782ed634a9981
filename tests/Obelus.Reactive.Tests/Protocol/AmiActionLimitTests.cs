using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Protocol;

/// <summary>What Asterisk would drop or not take (a line over 1 024 bytes, more than 128 lines) is refused when the action is built.</summary>
public sealed class AmiActionLimitTests
{
    // "Data: " + value + CRLF: 8 bytes around the value.
    private const int LongestDataValue = 1024 - 8;

    [Fact]
    public void A_header_line_of_exactly_1024_bytes_is_accepted_and_one_byte_more_is_refused()
    {
        var action = new AmiAction("Originate").Add("Data", new string('x', LongestDataValue));

        var error = Assert.Throws<ArgumentException>(() => action.Add("Data", new string('x', LongestDataValue + 1)));

        Assert.Single(action.Headers);
        Assert.Contains("1025 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
        Assert.Equal(1024 + "Action: Originate\r\n".Length + 2, AmiWriter.ToBytes(action).Length);
    }

    [Fact]
    public void The_line_length_counts_utf8_bytes_not_characters()
    {
        // 'é' is two bytes in UTF-8: 509 of them make a 1 018-byte value, 1 026 bytes with "Data: " and CRLF.
        Assert.Throws<ArgumentException>(() => new AmiAction("Originate").Add("Data", new string('é', 509)));
        _ = new AmiAction("Originate").Add("Data", new string('é', 508));
    }

    [Fact]
    public void Variables_action_ids_and_action_names_are_held_to_the_same_line_limit()
    {
        var action = new AmiAction("Originate");

        Assert.Throws<ArgumentException>(() => action.AddVariable("X_LONG", new string('v', 1020)));
        Assert.Throws<ArgumentException>(() => action.ActionId = new string('i', 1020));
        Assert.Throws<ArgumentException>(() => action.Add("ActionID", new string('i', 1020)));
        Assert.Throws<ArgumentException>(() => new AmiAction(new string('A', 1020)));
        Assert.Empty(action.Headers);
        Assert.Null(action.ActionId);
    }

    [Fact]
    public void An_action_takes_126_headers_and_refuses_the_next_as_asterisk_reads_128_lines_with_action_and_action_id()
    {
        var action = new AmiAction("Originate");
        for (var i = 0; i < 125; i++)
        {
            action.AddVariable("V" + i, "x");
        }

        action.Add("Channel", "PJSIP/100");

        Assert.Throws<ArgumentException>(() => action.AddVariable("ONE_MORE", "x"));
        Assert.Throws<ArgumentException>(() => action.Add("Exten", "200"));
        Assert.Equal(126, action.Headers.Count);
        action.ActionId = "still-fine"; // not a header: its line is one of the two counted
    }
}
