using Obelus.Reactive.Calls;
using Obelus.Reactive.Cli.Rendering;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

public class TerminalTextTests
{
    [Theory]
    [InlineData("Alice <100>", "Alice <100>")]
    [InlineData("Zoë 東京 ☎", "Zoë 東京 ☎")]
    [InlineData("\u001b]0;title\u0007", @"\x1B]0;title\x07")]
    [InlineData("a\r\nb\tc", @"a\x0D\x0Ab\x09c")]
    [InlineData("\u009b2J\u007f", @"\x9B2J\x7F")]
    [InlineData("abc\u202eexe.txt", @"abc\u202Eexe.txt")]
    [InlineData("", "")]
    public void Control_characters_are_written_out_and_other_text_is_left_alone(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Clean(text));
    }

    [Fact]
    public void Originate_line_neutralises_server_text()
    {
        var state = new CallState
        {
            CallId = "1",
            Direction = CallDirection.Outgoing,
            Change = CallChange.DialingFinished,
            DialStatus = "BUSY\u001b[2J",
            Timestamp = DateTimeOffset.UnixEpoch,
        };

        var line = OriginateLine.Format(state);

        Assert.EndsWith(@"DialingFinished  dial BUSY\x1B[2J", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', line);
    }

    [Fact]
    public void Call_board_neutralises_the_party_and_the_status()
    {
        var board = new CallBoard { Status = "connected to pbx (Asterisk\u001b[31m)" };
        board.Update("\"\u001b]2;x\u0007\" <1>", new CallState { CallId = "in1", Direction = CallDirection.Incoming, Change = CallChange.StateChanged });

        Assert.Equal(@"""\x1B]2;x\x07"" <1>", Assert.Single(board.Snapshot()).Party);
        Assert.Equal(@"connected to pbx (Asterisk\x1B[31m)", board.Status);
    }
}
