using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using static Obelus.Reactive.Protocol.AmiBytes;

namespace Obelus.Reactive.Protocol;

/// <summary>Parsing one message out of contiguous bytes.</summary>
public sealed partial class AmiMessageReader
{
    // Reused between messages: slots point into the source span until the message is copied out.
    private HeaderSlot[] _scratchSlots = new HeaderSlot[32];

    // Appending to the pooled copy of a crossing message in chunks this big at least.
    private const int AppendChunkBytes = 512;

    // A pooled copy up to this size stays with the reader between messages.
    private const int RetainedPendingBytes = 16 * 1024;

    // How far the message at the head of the buffer has been parsed, valid while Offset equals
    // _scanOffset: the caller hands the same bytes back with more appended.
    private ScanState _scan;
    private long _scanOffset = -1;

    // Pooled copy of a message that crosses segments ([] when none).
    private byte[] _pending = [];
    private int _pendingLength;

    private enum ParseStatus
    {
        Incomplete,
        Message,
        Error,
    }

    /// <summary>Where the parser is inside a legacy <c>Response: Follows</c> message.</summary>
    private enum CommandBody
    {
        None,
        Headers,
        Lines,
        AfterMarker,
    }

    private bool TryReadMessage(ref ReadOnlySequence<byte> buffer, out AmiReadResult result) =>
        TryReadMessage(ref buffer, buffer.FirstSpan, out result);

    /// <summary>Reads the message at the start of <paramref name="buffer"/>, whose first span is <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReadMessage(ref ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> first, out AmiReadResult result)
    {
        if (_scanOffset != Offset)
        {
            ResetScan();
        }

        if (_pendingLength == 0)
        {
            // Fast path: the message sits in the first segment, parse it in place (resuming
            // where the last call stopped when it arrives piecemeal).
            if (first.Length >= _scan.SearchFrom)
            {
                var status = Parse(first, ref _scan, out var outcome);
                if (status != ParseStatus.Incomplete || buffer.IsSingleSegment)
                {
                    return Finish(status, first, in outcome, ref buffer, out result);
                }
            }
            else if (buffer.Length < _scan.SearchFrom)
            {
                // The caller handed over less than it did before: start this message afresh.
                ResetScan();
                return TryReadMessage(ref buffer, out result);
            }
        }
        else if (buffer.Length < _pendingLength)
        {
            ResetScan();
            return TryReadMessage(ref buffer, out result);
        }

        return TryReadMessageAcrossSegments(ref buffer, out result);
    }

    /// <summary>
    /// Slow path for a message that crosses segments: its bytes are appended, a chunk at a time,
    /// to a pooled buffer kept between calls, and the parse resumes where it stopped, so each
    /// byte is copied and examined once however piecemeal the message arrives. Never more than
    /// one byte past the message size limit is copied.
    /// </summary>
    private bool TryReadMessageAcrossSegments(ref ReadOnlySequence<byte> buffer, out AmiReadResult result)
    {
        // Walk the segments from the start (slicing a long sequence to a length walks all of it)
        // and copy what is past the pooled copy, up to one byte over the message size limit.
        long limit = Options.MaxMessageBytes + 1L;
        long segmentStart = 0;
        foreach (var memory in buffer)
        {
            var segmentEnd = segmentStart + memory.Length;
            if (segmentEnd > _pendingLength)
            {
                var from = (int)Math.Max(0, _pendingLength - segmentStart);
                var source = memory.Span[from..(int)(Math.Min(segmentEnd, limit) - segmentStart)];
                while (!source.IsEmpty)
                {
                    // Small chunks: the end of a message that crosses into a new segment is
                    // usually near its start, so do not copy the whole segment first.
                    var take = Math.Min(source.Length, Math.Max(AppendChunkBytes, _pendingLength));
                    AppendPending(source[..take]);
                    source = source[take..];
                    if (_pendingLength < _scan.SearchFrom)
                    {
                        // Catching up with bytes the fast path already parsed in place.
                        continue;
                    }

                    var span = _pending.AsSpan(0, _pendingLength);
                    var status = Parse(span, ref _scan, out var outcome);
                    if (status != ParseStatus.Incomplete)
                    {
                        return Finish(status, span, in outcome, ref buffer, out result);
                    }
                }
            }

            if (segmentEnd >= limit)
            {
                break;
            }

            segmentStart = segmentEnd;
        }

        result = default;
        return false;
    }

    private void AppendPending(ReadOnlySpan<byte> bytes)
    {
        var needed = _pendingLength + bytes.Length;
        if (needed > _pending.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(_pending.Length * 2, 4096)));
            _pending.AsSpan(0, _pendingLength).CopyTo(grown);
            if (_pending.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = grown;
        }

        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
    }

    /// <summary>
    /// Forgets the partly scanned message. The pooled copy is kept for the next crossing message
    /// (about one in ten with 4 KB segments) unless it grew large or <paramref name="release"/>.
    /// </summary>
    private void ResetScan(bool release = false)
    {
        if (_scan.SearchFrom != 0 || _scan.Output is not null)
        {
            _scan = default;
        }

        _scanOffset = Offset;
        _pendingLength = 0;
        if (_pending.Length > 0 && (release || _pending.Length > RetainedPendingBytes))
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = [];
        }
    }

    private bool Finish(ParseStatus status, ReadOnlySpan<byte> span, in ParseOutcome outcome, ref ReadOnlySequence<byte> buffer, out AmiReadResult result)
    {
        switch (status)
        {
            case ParseStatus.Message:
                Consume(ref buffer, outcome.Consumed);
                ResetScan();
                result = AmiReadResult.ForMessage(outcome.Message!);
                return true;
            case ParseStatus.Error:
                var error = new AmiProtocolException(outcome.Error, Offset + outcome.ReportAt, QuoteLine(span[outcome.ReportAt..]), Describe(outcome.Error)) { ActionId = outcome.ActionId };
                Consume(ref buffer, outcome.ResumeAt);
                _skipMode = outcome.Skip;
                _skipLineHasContent = false;
                _skipAfterBlank = false;
                ResetScan();
                result = AmiReadResult.ForError(error);
                return true;
            default:
                result = default;
                return false;
        }
    }

    private string Describe(AmiProtocolError error) => error switch
    {
        AmiProtocolError.LineTooLong => $"a line is longer than {Options.MaxLineLength} bytes",
        AmiProtocolError.TooManyHeaders => $"the message has more than {Options.MaxHeaderCount} headers",
        AmiProtocolError.MessageTooLarge => $"the message is larger than {Options.MaxMessageBytes} bytes",
        AmiProtocolError.UnknownMessageKind => "a message must start with Response, Event or Action",
        AmiProtocolError.MissingColon => "a header line has no ':'",
        AmiProtocolError.EmptyHeaderName => "a header line has an empty name",
        AmiProtocolError.MissingEndCommand => "a Response: Follows body ended without --END COMMAND-- (a blank line and the next message came first)",
        _ => error.ToString(),
    };

    /// <summary>
    /// Parses the message at the start of <paramref name="span"/> (which does not start with a
    /// blank line), resuming from <paramref name="scan"/>. Incomplete means more bytes are needed
    /// and nothing was found wrong yet; <paramref name="scan"/> then says where to resume.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ParseStatus Parse(ReadOnlySpan<byte> span, ref ScanState scan, out ParseOutcome outcome)
    {
        outcome = default;
        var maxLine = Options.MaxLineLength;
        var maxMessage = Options.MaxMessageBytes;
        var maxHeaders = Options.MaxHeaderCount;
        var slots = _scratchSlots;
        var count = scan.Count;
        var lines = scan.Lines;
        var dataEnd = scan.DataEnd;
        var kind = scan.Kind;
        var body = scan.Body;
        var output = scan.Output;
        var position = scan.Position;
        var searchFrom = scan.SearchFrom;
        while (true)
        {
            if (count > 0 && body == CommandBody.None && kind != AmiMessageKind.Response && searchFrom == position)
            {
                // Most lines of most messages: a tight loop of its own, back here for any line it leaves.
                var run = ParseOrdinaryLines(span, position, slots, count, Math.Min(slots.Length, maxHeaders), maxLine, maxMessage);
                if (run.Count != count)
                {
                    lines += run.Count - count;
                    count = run.Count;
                    dataEnd = run.DataEnd;
                    position = run.Position;
                    searchFrom = position;
                }

                if (run.Ended)
                {
                    outcome.Consumed = run.Position;
                    outcome.Message = Build(span[..dataEnd], slots, count, kind, output);
                    return ParseStatus.Message;
                }
            }

            var lineStart = position;
            var lf = FindLineEnd(span, lineStart, searchFrom, out var colonInLine);
            if (lf < 0)
            {
                if (span.Length - lineStart > maxLine + 1)
                {
                    return Fail(out outcome, AmiProtocolError.LineTooLong, lineStart, lineStart, body);
                }

                if (span.Length > maxMessage)
                {
                    return Fail(out outcome, AmiProtocolError.MessageTooLarge, 0, lineStart, body);
                }

                scan = new ScanState
                {
                    Position = position,
                    SearchFrom = span.Length,
                    Count = count,
                    Lines = lines,
                    DataEnd = dataEnd,
                    Kind = kind,
                    Body = body,
                    Output = output,
                };
                return ParseStatus.Incomplete;
            }

            position = lf + 1;
            searchFrom = position;
            var lineEnd = lf > lineStart && span[lf - 1] == ByteCR ? lf - 1 : lf;
            var lineLength = lineEnd - lineStart;
            if (lineLength > maxLine)
            {
                return Fail(out outcome, AmiProtocolError.LineTooLong, lineStart, lineStart, body);
            }

            if (position > maxMessage)
            {
                return Fail(out outcome, AmiProtocolError.MessageTooLarge, 0, lineStart, body);
            }

            if (lineLength == 0 && body != CommandBody.Lines)
            {
                outcome.Consumed = position;
                outcome.Message = Build(span[..dataEnd], slots, count, kind, output);
                return ParseStatus.Message;
            }

            if (++lines > maxHeaders)
            {
                return Fail(out outcome, AmiProtocolError.TooManyHeaders, 0, lineStart, body);
            }

            var line = span.Slice(lineStart, lineLength);
            int colon;
            if (body is CommandBody.Headers or CommandBody.Lines)
            {
                if (body == CommandBody.Lines && FollowsBlankLine(span, lineStart) && StartsMessage(line))
                {
                    // A legacy body that never got its end marker: the server went on with the
                    // next message. Report the body and resume at that message, instead of
                    // taking the rest of the stream as command output.
                    outcome = new ParseOutcome
                    {
                        Error = AmiProtocolError.MissingEndCommand,
                        ReportAt = 0,
                        ResumeAt = lineStart,
                        Skip = SkipMode.None,
                        ActionId = FindActionId(span, slots, count),
                    };
                    return ParseStatus.Error;
                }

                if (line.EndsWith(EndCommandMarker))
                {
                    var text = line[..^EndCommandMarker.Length];
                    if (!text.IsEmpty)
                    {
                        output!.Add(Utf8.GetString(text));
                    }

                    body = CommandBody.AfterMarker;
                    continue;
                }

                colon = colonInLine == ColonUnknown ? line.IndexOf(ByteColon) : colonInLine;
                if (body == CommandBody.Lines || colon <= 0 || !IsCommandHeader(line[..colon]))
                {
                    body = CommandBody.Lines;
                    output!.Add(Utf8.GetString(line));
                    continue;
                }
            }
            else
            {
                colon = colonInLine == ColonUnknown ? line.IndexOf(ByteColon) : colonInLine;
                if (colon <= 0)
                {
                    var error = count == 0 ? AmiProtocolError.UnknownMessageKind
                        : colon < 0 ? AmiProtocolError.MissingColon
                        : AmiProtocolError.EmptyHeaderName;
                    return Fail(out outcome, error, lineStart, lineStart, body);
                }
            }

            var valueOffset = ValueOffset(line, colon);

            if (count == 0)
            {
                if (!TryGetKind(line[..colon], out kind))
                {
                    return Fail(out outcome, AmiProtocolError.UnknownMessageKind, lineStart, lineStart, body);
                }

                if (kind == AmiMessageKind.Response && Ascii.EqualsIgnoreCase(line[valueOffset..], "Follows"u8))
                {
                    body = CommandBody.Headers;
                    output = [];
                }
            }
            else if (kind == AmiMessageKind.Response && body == CommandBody.None && colon == 6 && Ascii.EqualsIgnoreCase(line[..colon], "Output"u8))
            {
                (output ??= []).Add(Utf8.GetString(line[valueOffset..]));
            }

            if (count == slots.Length)
            {
                Array.Resize(ref _scratchSlots, Math.Min(slots.Length * 2, Math.Max(maxHeaders, slots.Length + 1)));
                slots = _scratchSlots;
            }

            slots[count++] = new HeaderSlot(lineStart, colon, lineStart + valueOffset, lineLength - valueOffset);
            dataEnd = lineEnd;
        }
    }

    private const int ColonUnknown = -2;

    /// <summary>
    /// Index of the LF ending the line at <paramref name="lineStart"/> (no LF before
    /// <paramref name="searchFrom"/>), or -1. Most AMI lines are shorter than one vector: then a
    /// single load finds both the LF and the first colon before it; otherwise
    /// <paramref name="colon"/> is <see cref="ColonUnknown"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindLineEnd(ReadOnlySpan<byte> span, int lineStart, int searchFrom, out int colon)
    {
        if (Vector256.IsHardwareAccelerated && searchFrom == lineStart && span.Length - lineStart >= Vector256<byte>.Count)
        {
            var block = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)lineStart);
            var lfBits = Vector256.Equals(block, Vector256.Create(ByteLF)).ExtractMostSignificantBits();
            if (lfBits != 0)
            {
                var lfAt = BitOperations.TrailingZeroCount(lfBits);
                var colonBits = Vector256.Equals(block, Vector256.Create(ByteColon)).ExtractMostSignificantBits() & ((1u << lfAt) - 1);
                colon = colonBits == 0 ? -1 : BitOperations.TrailingZeroCount(colonBits);
                return lineStart + lfAt;
            }
        }

        colon = ColonUnknown;
        var lf = span[searchFrom..].IndexOf(ByteLF);
        return lf < 0 ? -1 : searchFrom + lf;
    }

    /// <summary>Where the value of <paramref name="line"/> starts: after the colon and one space, if there is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ValueOffset(ReadOnlySpan<byte> line, int colon) =>
        colon + 1 < line.Length && line[colon + 1] == ByteSpace ? colon + 2 : colon + 1;

    /// <summary>The ActionID among the headers parsed so far, so an error can name the action it spoils; null when there is none.</summary>
    private static string? FindActionId(ReadOnlySpan<byte> span, HeaderSlot[] slots, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var slot = slots[i];
            if (Ascii.EqualsIgnoreCase(span.Slice(slot.NameStart, slot.NameLength), "ActionID"u8))
            {
                return Utf8.GetString(span.Slice(slot.ValueStart, slot.ValueLength));
            }
        }

        return null;
    }

    /// <summary>True when the line before <paramref name="lineStart"/> is blank.</summary>
    private static bool FollowsBlankLine(ReadOnlySpan<byte> span, int lineStart) =>
        lineStart >= 2 && span[lineStart - 1] == ByteLF
        && (span[lineStart - 2] == ByteLF || (lineStart >= 3 && span[lineStart - 2] == ByteCR && span[lineStart - 3] == ByteLF));

    /// <summary>True when <paramref name="line"/> (or the start of it) opens a server message: <c>Response:</c> or <c>Event:</c>.</summary>
    internal static bool StartsMessage(ReadOnlySpan<byte> line) =>
        (line.Length >= 9 && Ascii.EqualsIgnoreCase(line[..9], "Response:"u8))
        || (line.Length >= 6 && Ascii.EqualsIgnoreCase(line[..6], "Event:"u8));

    private static bool IsCommandHeader(ReadOnlySpan<byte> name) =>
        Ascii.EqualsIgnoreCase(name, "Privilege"u8) || Ascii.EqualsIgnoreCase(name, "ActionID"u8);

    private static bool TryGetKind(ReadOnlySpan<byte> name, out AmiMessageKind kind)
    {
        if (Ascii.EqualsIgnoreCase(name, "Event"u8))
        {
            kind = AmiMessageKind.Event;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Response"u8))
        {
            kind = AmiMessageKind.Response;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Action"u8))
        {
            kind = AmiMessageKind.Action;
        }
        else
        {
            kind = default;
            return false;
        }

        return true;
    }

    private static ParseStatus Fail(out ParseOutcome outcome, AmiProtocolError error, int reportAt, int resumeAt, CommandBody body)
    {
        // The offending line is left in the buffer: skipping starts with it, so a bad line that
        // is itself the end of the message (a blank line past the size limit) ends the skip.
        outcome = new ParseOutcome
        {
            Error = error,
            ReportAt = reportAt,
            ResumeAt = resumeAt,
            Skip = body == CommandBody.Lines ? SkipMode.ToEndMarker : SkipMode.ToBlankLine,
        };
        return ParseStatus.Error;
    }

    /// <summary>
    /// Copies the header lines in one block (the slots already point at names and values
    /// relative to the message start) and the slot table after them, into one exact-size array.
    /// </summary>
    private static AmiMessage Build(ReadOnlySpan<byte> headerBytes, HeaderSlot[] source, int count, AmiMessageKind kind, List<string>? output)
    {
        var slotBytes = MemoryMarshal.AsBytes(source.AsSpan(0, count));
        var data = new byte[headerBytes.Length + slotBytes.Length];
        headerBytes.CopyTo(data);
        slotBytes.CopyTo(data.AsSpan(headerBytes.Length));
        return AmiMessage.FromPacked(kind, data, headerBytes.Length, count, output?.AsReadOnly());
    }

    /// <summary>Where a partly parsed message stopped: the parse loop's locals between calls.</summary>
    private struct ScanState
    {
        public int Position;
        public int SearchFrom;
        public int Count;
        public int Lines;
        public int DataEnd;
        public AmiMessageKind Kind;
        public CommandBody Body;
        public List<string>? Output;
    }

    private struct ParseOutcome
    {
        public int Consumed;
        public AmiMessage? Message;
        public AmiProtocolError Error;
        public int ReportAt;
        public int ResumeAt;
        public SkipMode Skip;
        public string? ActionId;
    }
}
