using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text;
using static Obelus.Reactive.Protocol.AmiBytes;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// Incremental, sans-I/O AMI reader: takes bytes as a <see cref="System.IO.Pipelines.PipeReader"/>
/// hands them over and yields whole messages, leaving partial ones in the buffer.
/// </summary>
/// <remarks>
/// <para>
/// Each successful call consumes exactly one item: the greeting line, one message (with its
/// terminating blank line), or one reported error. A message split anywhere between calls
/// parses exactly as if it had arrived whole. Blank lines between messages are skipped.
/// A message seen partly is not started over: the reader remembers how far it got (the caller
/// hands the same unconsumed bytes back with more appended, as a pipe does), so each byte is
/// examined once however piecemeal the message arrives.
/// </para>
/// <para>
/// Malformed or over-limit input is reported once as an <see cref="AmiReadResult.Error"/>;
/// the reader then skips the rest of that message as bytes arrive (never buffering it whole)
/// up to its terminating blank line, or up to <c>--END COMMAND--</c> and the blank line when
/// the problem is inside a legacy command output body, and goes on with the next message.
/// </para>
/// <para>
/// Lines end with CRLF or a bare LF; a lone CR inside a line is kept as data. A header is split
/// at its first colon; one space after the colon is dropped and the rest of the value is kept
/// verbatim (trailing blanks included). Not thread-safe: one reader per stream.
/// </para>
/// </remarks>
public sealed partial class AmiMessageReader
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private bool _bannerPending;

    /// <summary>Creates a reader with the given limits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public AmiMessageReader(AmiReaderOptions? options = null)
    {
        Options = options ?? AmiReaderOptions.Default;
        Options.Validate();
        _bannerPending = Options.ExpectBanner;
    }

    /// <summary>The limits in force.</summary>
    public AmiReaderOptions Options { get; }

    /// <summary>Bytes consumed since the start of the stream.</summary>
    public long Offset { get; private set; }

    /// <summary>True while the reader is discarding the rest of a message it has reported as bad.</summary>
    public bool IsSkipping => _skipMode != SkipMode.None;

    /// <summary>
    /// Reads one item. On true, <paramref name="buffer"/> starts after the consumed bytes.
    /// On false, <paramref name="buffer"/> may still have moved forward (bytes of an over-limit
    /// message being skipped); the caller keeps what is left and calls again with more data.
    /// </summary>
    // The parser's hot methods are compiled fully optimised at their first call instead of going
    // through tier 0: a fresh process otherwise parses its first few hundred thousand events at a
    // third of the steady rate (docs/performance.md, "The first events of a process").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out AmiReadResult result)
    {
        result = default;
        if (_skipMode != SkipMode.None && !TrySkip(ref buffer))
        {
            return false;
        }

        if (_bannerPending)
        {
            return TryReadBanner(ref buffer, out result);
        }

        // The first span is taken once per call: on an array-backed sequence each FirstSpan
        // goes through the runtime's slow path.
        var first = buffer.FirstSpan;
        var blanks = 0;
        while (first.Length - blanks >= 2)
        {
            var head = first[blanks];
            if (head == ByteLF)
            {
                blanks++;
            }
            else if (head == ByteCR && first[blanks + 1] == ByteLF)
            {
                blanks += 2;
            }
            else
            {
                break;
            }
        }

        if (blanks > 0)
        {
            Consume(ref buffer, blanks);
            first = first[blanks..];
        }

        if (first.Length < 2)
        {
            // Tiny first segment or blank bytes at its very end: look across segments.
            SkipBlankLines(ref buffer);
            if (buffer.IsEmpty)
            {
                return false;
            }

            first = buffer.FirstSpan;
        }

        return TryReadMessage(ref buffer, first, out result);
    }

    /// <summary>
    /// Tells the reader the stream has ended with <paramref name="remaining"/> unconsumed.
    /// Returns the error to report when a message was cut short, else null.
    /// </summary>
    /// <remarks>
    /// Only blank space (CR, LF, space, tab) may be left over. The rest of a message already
    /// reported as bad (being skipped) is not reported again.
    /// </remarks>
    public AmiProtocolException? Complete(ReadOnlySequence<byte> remaining)
    {
        ResetScan(release: true);
        if (_skipMode != SkipMode.None)
        {
            return null;
        }

        var reader = new SequenceReader<byte>(remaining);
        var blanks = reader.AdvancePastAny((byte)' ', (byte)'\t', ByteCR, ByteLF);
        if (reader.End)
        {
            return null;
        }

        var line = QuoteLine(remaining.Slice(blanks));
        return new AmiProtocolException(AmiProtocolError.TruncatedMessage, Offset + blanks, line, "the stream ended inside a message");
    }

    private void Consume(ref ReadOnlySequence<byte> buffer, long count)
    {
        if (count > 0)
        {
            buffer = buffer.Slice(count);
            Offset += count;
        }
    }

    private void SkipBlankLines(ref ReadOnlySequence<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var first = buffer.FirstSpan;
            int head;
            int next;
            if (first.Length >= 2)
            {
                head = first[0];
                next = first[1];
            }
            else
            {
                // Tiny or empty first segment: look across segments.
                var reader = new SequenceReader<byte>(buffer);
                reader.TryRead(out var b0);
                head = b0;
                next = reader.TryRead(out var b1) ? b1 : -1;
            }

            if (head == ByteLF)
            {
                Consume(ref buffer, 1);
            }
            else if (head == ByteCR && next == ByteLF)
            {
                Consume(ref buffer, 2);
            }
            else
            {
                return;
            }
        }
    }

    private bool TryReadBanner(ref ReadOnlySequence<byte> buffer, out AmiReadResult result)
    {
        result = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineWithCr, ByteLF, advancePastDelimiter: true))
        {
            if (buffer.Length > BannerLimit + 1L)
            {
                // A greeting is one short line: do not wait for the rest of a long one.
                _bannerPending = false;
                _skipMode = SkipMode.ToBlankLine;
                result = AmiReadResult.ForError(new AmiProtocolException(
                    AmiProtocolError.InvalidBanner, Offset, QuoteLine(buffer), $"no line end within the first {BannerLimit} bytes of the greeting"));
                return true;
            }

            return false;
        }

        _bannerPending = false;
        var line = TrimCr(lineWithCr);
        var text = Utf8.GetString(line);
        var slash = line.AsSpan().LastIndexOf((byte)'/');
        if (line.Length <= BannerLimit && IsBanner(line, slash))
        {
            Consume(ref buffer, reader.Consumed);
            result = AmiReadResult.ForBanner(new AmiBanner(text[..slash], text[(slash + 1)..]));
            return true;
        }

        var error = new AmiProtocolException(
            AmiProtocolError.InvalidBanner,
            Offset,
            Cut(text),
            line.Length > BannerLimit
                ? $"the greeting is longer than {BannerLimit} bytes"
                : "expected 'Name/Version': printable ASCII, a version that starts with a digit and has no spaces");

        // A server that skips the greeting starts straight with a message: keep that line for it.
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || AmiMessage.KindOf(text.AsSpan(0, colon)) is null)
        {
            Consume(ref buffer, reader.Consumed);
        }

        result = AmiReadResult.ForError(error);
        return true;
    }

    /// <summary>The longest greeting line: the banner limit, and never more than the line limit.</summary>
    private int BannerLimit => Math.Min(Options.MaxBannerLength, Options.MaxLineLength);

    /// <summary>
    /// <c>Name/Version</c> as AMI servers send it: printable ASCII, no colon (that would be a
    /// header), a name, and a version that starts with a digit and has no spaces, so an HTTP
    /// status line or binary that happens to hold a slash is not taken for a greeting.
    /// </summary>
    private static bool IsBanner(ReadOnlySpan<byte> line, int slash)
    {
        if (slash <= 0 || slash >= line.Length - 1 || !char.IsAsciiDigit((char)line[slash + 1]))
        {
            return false;
        }

        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (b is < 0x20 or > 0x7E || b == (byte)':' || (i > slash && b == (byte)' '))
            {
                return false;
            }
        }

        return !line[..slash].Trim((byte)' ').IsEmpty;
    }

    private static byte[] TrimCr(ReadOnlySequence<byte> line)
    {
        var bytes = line.ToArray();
        return bytes.Length > 0 && bytes[^1] == ByteCR ? bytes[..^1] : bytes;
    }

    private static string Cut(string text) => text.Length <= QuotedLineBytes ? text : text[..QuotedLineBytes];

    /// <summary>The first line of <paramref name="input"/>, at most <see cref="AmiBytes.QuotedLineBytes"/> bytes of it, for an error message.</summary>
    private static string QuoteLine(ReadOnlySequence<byte> input)
    {
        Span<byte> head = stackalloc byte[QuotedLineBytes];
        var length = (int)Math.Min(input.Length, QuotedLineBytes);
        input.Slice(0, length).CopyTo(head);
        return QuoteLine(head[..length]);
    }

    private static string QuoteLine(ReadOnlySpan<byte> input)
    {
        if (input.Length > QuotedLineBytes)
        {
            input = input[..QuotedLineBytes];
        }

        var lf = input.IndexOf(ByteLF);
        if (lf >= 0)
        {
            input = input[..lf];
        }

        if (!input.IsEmpty && input[^1] == ByteCR)
        {
            input = input[..^1];
        }

        return Utf8.GetString(input);
    }
}
