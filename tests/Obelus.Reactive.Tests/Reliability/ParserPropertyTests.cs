using System.Text;
using CsCheck;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Tests.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>
/// Property-based checks of <see cref="AmiMessageReader"/> on generated input. Case counts are
/// bounded for CI (see docs/reliability.md for a longer run).
/// </summary>
public sealed class ParserPropertyTests
{
    private static readonly string[] Captures =
    [
        "banner", "channelid_answered", "filters", "incoming_iax2", "limited_user", "list_actions", "login_failure",
        "login_md5", "originate_answered", "originate_bad_extension", "originate_busy", "originate_sync_answered",
        "originate_sync_failure", "status_resync_a", "status_resync_b",
    ];

    private static readonly Dictionary<string, byte[]> CaptureBytes = Captures.ToDictionary(
        name => name,
        name => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Traces", name + ".in.ami")));

    /// <summary>Small limits, so generated input crosses them often.</summary>
    private static readonly AmiReaderOptions Tight = new() { MaxLineLength = 40, MaxHeaderCount = 6, MaxMessageBytes = 200 };

    private static readonly string[] Fragments =
    [
        "\r\n", "\n", "\r", ":", ": ", " ", "Event: Newstate", "Response: Success", "Response: Follows", "Response: Error",
        "Action: Ping", "ActionID: 1", "Output: line", "--END COMMAND--", "Privilege: Command", "Asterisk Call Manager/11.0.0",
        "Uniqueid: 1.2", "Variable: X=1", "\r\n\r\n", "\u00e9", "\0", new string('x', 45), "Channel: Local/100@default-00000001;1",
    ];

    private static readonly Gen<byte[]> ProtocolishBytes =
        Gen.Frequency(
                (4, Gen.OneOf(Fragments).Select(f => Encoding.UTF8.GetBytes(f))),
                (1, Gen.Byte.Array[1, 8]))
            .Array[0, 60]
            .Select(parts => parts.SelectMany(p => p).ToArray());

    private static readonly Gen<byte[]> RawBytes = Gen.Byte.Array[0, 400];

    private static readonly Gen<int[]> Cuts = Gen.Int[0, 4000].Array[0, 12];

    [Fact]
    public void Arbitrary_bytes_in_arbitrary_chunks_only_ever_yield_banners_messages_or_protocol_errors()
    {
        var gen = Gen.Select(Gen.Frequency((3, ProtocolishBytes), (1, RawBytes)), Cuts, Gen.Bool);
        Fuzz.Check(
            gen,
            input =>
            {
                var (data, cuts, banner) = input;
                var options = Tight with { ExpectBanner = banner };
                ParserDrive.Feed(options, data, cuts.Select(c => c % (data.Length + 1)));
            },
            cases: 1200,
            print: input => Convert.ToBase64String(input.Item1) + " cuts " + string.Join(",", input.Item2) + " banner " + input.Item3);
    }

    [Fact]
    public void A_valid_capture_split_anywhere_parses_exactly_as_when_whole()
    {
        var gen = Gen.Select(Gen.OneOf(Captures), Cuts.Select(c => c.Select(x => x * 7).ToArray()));
        Fuzz.Check(
            gen,
            input =>
            {
                var data = CaptureBytes[input.Item1];
                var whole = ParserDrive.Feed(AmiReaderOptions.Default, data, []);
                var split = ParserDrive.Feed(AmiReaderOptions.Default, data, input.Item2.Select(c => c % (data.Length + 1)));
                Assert.All(whole.Results, r => Assert.Null(r.Error));
                Assert.Equal(ReaderDriver.RenderAll(whole.Results), ReaderDriver.RenderAll(split.Results));
                Assert.Null(split.Completion);
            },
            cases: 400,
            print: input => input.Item1 + " cuts " + string.Join(",", input.Item2));
    }

    [Fact]
    public void A_truncated_capture_yields_the_messages_before_the_cut_and_reports_the_cut()
    {
        var gen = Gen.Select(Gen.OneOf(Captures), Gen.Double[0, 1], Cuts);
        Fuzz.Check(
            gen,
            input =>
            {
                var full = CaptureBytes[input.Item1];
                var data = full[..(int)(full.Length * input.Item2)];
                var whole = ReaderDriver.RenderAll(ParserDrive.Feed(AmiReaderOptions.Default, full, []).Results);
                var cut = ParserDrive.Feed(AmiReaderOptions.Default, data, input.Item3.Select(c => c % (data.Length + 1)));
                var rendered = ReaderDriver.RenderAll(cut.Results);

                Assert.Equal(whole.Take(rendered.Count), rendered);
                Assert.True(rendered.Count == whole.Count || cut.Completion is not null || EndsBetweenMessages(data), "a cut inside a message must be reported");
            },
            cases: 400,
            print: input => $"{input.Item1} at {input.Item2}");
    }

    [Fact]
    public void Any_mix_of_CRLF_and_bare_LF_line_ends_parses_to_the_same_messages()
    {
        var gen = Gen.Select(Gen.OneOf(Captures), Gen.Bool.Array[1, 64], Cuts);
        Fuzz.Check(
            gen,
            input =>
            {
                var (name, choices, cuts) = input;
                var original = CaptureBytes[name];
                var mixed = MixLineEnds(original, choices);
                var expected = ReaderDriver.RenderAll(ParserDrive.Feed(AmiReaderOptions.Default, original, []).Results);
                var actual = ReaderDriver.RenderAll(ParserDrive.Feed(AmiReaderOptions.Default, mixed, cuts.Select(c => c % (mixed.Length + 1))).Results);
                Assert.Equal(expected.Select(WithoutOffsets), actual.Select(WithoutOffsets));
            },
            cases: 300,
            print: input => input.Item1);
    }

    [Fact]
    public void Oversized_lines_and_header_counts_are_reported_and_the_next_message_still_parses()
    {
        var options = new AmiReaderOptions { ExpectBanner = false, MaxLineLength = 64, MaxHeaderCount = 16, MaxMessageBytes = 1024 };
        var gen = Gen.Select(Gen.Int[0, 200], Gen.Int[0, 50], Gen.Int[0, 400], Cuts);
        Fuzz.Check(
            gen,
            input =>
            {
                var (lineLength, headerCount, valueLength, cuts) = input;
                var message = new StringBuilder("Event: Big\r\n");
                for (var i = 0; i < headerCount; i++)
                {
                    message.Append('H').Append(i).Append(": ").Append(new string('v', i == 0 ? lineLength : valueLength % 40)).Append("\r\n");
                }

                var bytes = Encoding.ASCII.GetBytes(message + "\r\nEvent: After\r\nKey: value\r\n\r\n");
                var run = ParserDrive.Feed(options, bytes, cuts.Select(c => c % (bytes.Length + 1)));

                var headerBytes = message.Length + 2;
                var lineTooLong = headerCount > 0 && 4 + lineLength > options.MaxLineLength;
                var tooMany = 1 + headerCount > options.MaxHeaderCount;
                var tooLarge = headerBytes > options.MaxMessageBytes;
                var last = run.Results[^1].Message;
                Assert.NotNull(last);
                Assert.Equal("After", ((AmiEvent)last).Name);
                Assert.Equal("value", last["Key"]);
                if (lineTooLong || tooMany || tooLarge)
                {
                    Assert.Equal(2, run.Results.Count);
                    var error = run.Results[0].Error;
                    Assert.NotNull(error);
                    Assert.Contains(error.Error, new[] { AmiProtocolError.LineTooLong, AmiProtocolError.TooManyHeaders, AmiProtocolError.MessageTooLarge });
                }
                else
                {
                    Assert.Equal(2, run.Results.Count);
                    Assert.Equal(headerCount + 1, run.Results[0].Message!.Count);
                }
            },
            cases: 500);
    }

    [Fact]
    public void A_valid_message_after_garbage_and_a_blank_line_still_parses()
    {
        var garbage = Gen.Byte.Where(b => b != (byte)':' && b != (byte)'\n').Array[1, 300];
        var gen = Gen.Select(garbage, Cuts, Gen.Int[0, 3]);
        Fuzz.Check(
            gen,
            input =>
            {
                var (bad, cuts, repeat) = input;
                var valid = Encoding.ASCII.GetBytes("Response: Success\r\nActionID: 7\r\nMessage: ok\r\n\r\n");
                var bytes = Enumerable.Repeat(bad.Concat("\r\n\r\n"u8.ToArray()), repeat + 1).SelectMany(b => b).Concat(valid).ToArray();
                var run = ParserDrive.Feed(Tight with { ExpectBanner = false }, bytes, cuts.Select(c => c % (bytes.Length + 1)));

                Assert.Equal(repeat + 1, run.Results.Count(r => r.Error is not null));
                var response = Assert.IsType<AmiResponse>(run.Results[^1].Message);
                Assert.Equal("7", response.ActionId);
                Assert.Null(run.Completion);
            },
            cases: 400,
            print: input => Convert.ToBase64String(input.Item1));
    }

    private static bool EndsBetweenMessages(byte[] data) =>
        data.Length == 0 || data.AsSpan().EndsWith("\r\n\r\n"u8) || data.AsSpan().EndsWith("\n\n"u8) || data.AsSpan().TrimEnd("\r\n"u8).Length == 0;

    /// <summary>Error offsets move when CRs are dropped; the rest of an item must not.</summary>
    private static string WithoutOffsets(string rendered) =>
        rendered.StartsWith("error ", StringComparison.Ordinal) ? rendered[..rendered.IndexOf('@', StringComparison.Ordinal)] : rendered;

    /// <summary>Turns some CRLFs into bare LFs, choosing line by line (cycling through <paramref name="choices"/>).</summary>
    private static byte[] MixLineEnds(byte[] data, bool[] choices)
    {
        var output = new List<byte>(data.Length);
        var line = 0;
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)'\r' && i + 1 < data.Length && data[i + 1] == (byte)'\n' && choices[line++ % choices.Length])
            {
                continue;
            }

            output.Add(data[i]);
        }

        return [.. output];
    }
}
