using System.Text;
using CsCheck;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>
/// The reader against a plain model of the format, on generated messages whose lines are 1 to
/// ~200 bytes long: lines shorter and longer than the 64-byte blocks the reader scans, colons
/// in names, values and at block edges, CRLF and bare LF, lone CRs, lines with no colon or an
/// empty name, and limits that such lines cross. Whole input (long spans) must match the
/// model under any limits; arbitrary chunks under the default limits (with tight limits, a
/// message cut short may be reported for whichever limit its bytes so far already break).
/// </summary>
public sealed class ParserModelPropertyTests
{
    private const string NameChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ ";
    private const string ValueChars = "abcdefghijklmnopqrstuvwxyz0123456789 :;/@.-=\r\t";

    private static readonly Gen<string> Name = Gen.Char[NameChars].Array[1, 70].Select(c => new string(c));

    // A value never ends with CR: "...\r\n" is a CRLF line end, not data.
    private static readonly Gen<string> Value = Gen.Char[ValueChars].Array[0, 120].Select(c => new string(c).TrimEnd('\r'));

    /// <summary>A header line without its line end: well formed most of the time.</summary>
    private static readonly Gen<Line> Lines = Gen.Frequency(
        (20, Gen.Select(Name, Value, Gen.Bool).Select(t => new Line(t.Item1 + (t.Item3 ? ": " : ":") + t.Item2, null))),
        (1, Name.Select(n => new Line(n.Replace(" ", "x", StringComparison.Ordinal), AmiProtocolError.MissingColon))),
        (1, Value.Select(v => new Line(":" + v, AmiProtocolError.EmptyHeaderName))));

    private static readonly Gen<Message> Messages =
        Gen.Select(Gen.Char['a', 'z'].Array[1, 20], Lines.Array[0, 12], Gen.Bool.Array[13])
            .Select(t => new Message("Event: " + new string(t.Item1), t.Item2, t.Item3));

    [Fact]
    public void Generated_messages_parse_as_the_model_says_whole_and_in_chunks()
    {
        var gen = Gen.Select(Messages.Array[1, 8], Gen.Int[0, 100_000].Array[0, 8]);
        Fuzz.Check(
            gen,
            input =>
            {
                var (messages, cuts) = input;
                var data = Encoding.UTF8.GetBytes(string.Concat(messages.Select(m => m.Wire())));
                var options = new AmiReaderOptions { ExpectBanner = false };
                var expected = messages.Select(m => m.Expected(options)).ToList();

                Assert.Equal(expected, Render(ParserDrive.Feed(options, data, []).Results));
                Assert.Equal(expected, Render(ParserDrive.Feed(options, data, cuts.Select(c => c % (data.Length + 1))).Results));
            },
            cases: 600,
            print: input => Show(input.Item1) + " cuts " + string.Join(",", input.Item2));
    }

    [Fact]
    public void Generated_messages_under_tight_limits_report_the_first_limit_each_one_breaks()
    {
        var limits = Gen.Select(Gen.Int[30, 110], Gen.Int[60, 1500], Gen.Int[2, 14])
            .Select(t => new AmiReaderOptions { ExpectBanner = false, MaxLineLength = t.Item1, MaxMessageBytes = t.Item2, MaxHeaderCount = t.Item3 });
        Fuzz.Check(
            Gen.Select(Messages.Array[1, 8], limits),
            input =>
            {
                var (messages, options) = input;
                var data = Encoding.UTF8.GetBytes(string.Concat(messages.Select(m => m.Wire())));
                var expected = messages.Select(m => m.Expected(options)).ToList();
                var actual = Render(ParserDrive.Feed(options, data, []).Results);
                Assert.Equal(expected.Count, actual.Count);
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.True(expected[i] == actual[i] || (expected[i] == "error LineTooLong or MessageTooLarge" && actual[i] is "error LineTooLong" or "error MessageTooLarge"), $"message {i}: expected {expected[i]}, got {actual[i]}");
                }
            },
            cases: 600,
            print: input => Show(input.Item1) + " " + input.Item2);
    }

    private static string Show(Message[] messages) =>
        string.Concat(messages.Select(m => m.Wire())).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static List<string> Render(List<AmiReadResult> results) =>
        results.Select(r => r.Error is { } error
            ? "error " + error.Error
            : string.Join("|", r.Message!.Select(h => h.Name + "=" + h.Value))).ToList();

    private sealed record Line(string Text, AmiProtocolError? Error);

    private sealed record Message(string First, Line[] Lines, bool[] Crlf)
    {
        public string Wire()
        {
            var text = new StringBuilder();
            var all = Lines.Select(l => l.Text).Prepend(First).Append(string.Empty).ToList();
            for (var i = 0; i < all.Count; i++)
            {
                text.Append(all[i]).Append(Crlf[i % Crlf.Length] ? "\r\n" : "\n");
            }

            return text.ToString();
        }

        /// <summary>
        /// The model: split at the first colon, drop one space. Each line, in order, is checked
        /// for its length, then the message size so far, then (blank line: the end) the header
        /// count, then its colon; the first failure is the message's one error.
        /// </summary>
        public string Expected(AmiReaderOptions limits)
        {
            var texts = Lines.Select(l => l.Text).Prepend(First).Append(string.Empty).ToList();
            var errors = Lines.Select(l => l.Error).Prepend(null).Append(null).ToList();
            var end = 0;
            for (var i = 0; i < texts.Count; i++)
            {
                end += Encoding.UTF8.GetByteCount(texts[i]) + (Crlf[i % Crlf.Length] ? 2 : 1);
                var tooLong = Encoding.UTF8.GetByteCount(texts[i]) > limits.MaxLineLength;
                if (tooLong && end > limits.MaxMessageBytes)
                {
                    // Both true of one line: a reader that holds at most the size limit of a
                    // message that crosses segments sees the size first.
                    return "error LineTooLong or MessageTooLarge";
                }

                var error = tooLong ? AmiProtocolError.LineTooLong
                    : end > limits.MaxMessageBytes ? AmiProtocolError.MessageTooLarge
                    : i == texts.Count - 1 ? (AmiProtocolError?)null
                    : i + 1 > limits.MaxHeaderCount ? AmiProtocolError.TooManyHeaders
                    : errors[i];
                if (error is not null)
                {
                    return "error " + error;
                }
            }

            return string.Join("|", texts.SkipLast(1).Select(text =>
            {
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                var value = text[(colon + 1)..];
                return text[..colon] + "=" + (value.StartsWith(' ') ? value[1..] : value);
            }));
        }
    }
}
