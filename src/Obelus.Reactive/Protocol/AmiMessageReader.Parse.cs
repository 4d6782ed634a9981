using System.Buffers;
using System.Text;
using static Obelus.Reactive.Protocol.AmiBytes;

namespace Obelus.Reactive.Protocol;

/// <summary>Parsing one message out of contiguous bytes.</summary>
public sealed partial class AmiMessageReader
{
    // Reused between messages: slots point into the source span until the message is copied out.
    private HeaderSlot[] _scratchSlots = new HeaderSlot[32];

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

    private bool TryReadMessage(ref ReadOnlySequence<byte> buffer, out AmiReadResult result)
    {
        // Fast path: the whole message sits in the first segment, parse it in place.
        var first = buffer.FirstSpan;
        var status = Parse(first, out var outcome);
        if (status == ParseStatus.Incomplete && !buffer.IsSingleSegment)
        {
            return TryReadMessageAcrossSegments(ref buffer, out result);
        }

        return Finish(status, first, in outcome, ref buffer, out result);
    }

    /// <summary>
    /// Slow path for a message that crosses segments: walk the lines without copying until a
    /// blank line (a possible end) or a limit is reached, then copy just that much into a pooled
    /// buffer and parse it there. Bytes copied stay under the configured limits.
    /// </summary>
    private bool TryReadMessageAcrossSegments(ref ReadOnlySequence<byte> buffer, out AmiReadResult result)
    {
        result = default;
        var reader = new SequenceReader<byte>(buffer);
        var maxLine = Options.MaxLineLength + 1L;
        var maxMessage = (long)Options.MaxMessageBytes;
        while (true)
        {
            var lineStart = reader.Consumed;
            long copyLength;
            bool atLimit;
            if (reader.TryAdvanceTo(ByteLF))
            {
                var lineLength = reader.Consumed - 1 - lineStart;
                atLimit = lineLength > maxLine || reader.Consumed > maxMessage;
                var blank = lineLength == 0 || (lineLength == 1 && buffer.Slice(lineStart, 1).FirstSpan[0] == ByteCR);
                if (!atLimit && !blank)
                {
                    continue;
                }

                copyLength = lineLength > maxLine ? Math.Min(reader.Consumed, lineStart + maxLine + 1) : reader.Consumed;
            }
            else
            {
                atLimit = buffer.Length - lineStart > maxLine || buffer.Length > maxMessage;
                if (!atLimit)
                {
                    return false;
                }

                copyLength = Math.Min(buffer.Length, lineStart + maxLine + 1);
            }

            copyLength = Math.Min(copyLength, maxMessage + 1);
            var rented = ArrayPool<byte>.Shared.Rent((int)copyLength);
            try
            {
                var span = rented.AsSpan(0, (int)copyLength);
                buffer.Slice(0, copyLength).CopyTo(span);
                var status = Parse(span, out var outcome);
                if (status != ParseStatus.Incomplete)
                {
                    return Finish(status, span, in outcome, ref buffer, out result);
                }

                if (atLimit)
                {
                    return false;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool Finish(ParseStatus status, ReadOnlySpan<byte> span, in ParseOutcome outcome, ref ReadOnlySequence<byte> buffer, out AmiReadResult result)
    {
        switch (status)
        {
            case ParseStatus.Message:
                Consume(ref buffer, outcome.Consumed);
                result = AmiReadResult.ForMessage(outcome.Message!);
                return true;
            case ParseStatus.Error:
                var error = new AmiProtocolException(outcome.Error, Offset + outcome.ReportAt, QuoteLine(span[outcome.ReportAt..]), Describe(outcome.Error));
                Consume(ref buffer, outcome.ResumeAt);
                _skipMode = outcome.Skip;
                _skipLineHasContent = false;
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
        _ => error.ToString(),
    };

    /// <summary>
    /// Parses the message at the start of <paramref name="span"/> (which does not start with a
    /// blank line). Incomplete means more bytes are needed and nothing was found wrong yet.
    /// </summary>
    private ParseStatus Parse(ReadOnlySpan<byte> span, out ParseOutcome outcome)
    {
        outcome = default;
        var maxLine = Options.MaxLineLength;
        var maxMessage = Options.MaxMessageBytes;
        var maxHeaders = Options.MaxHeaderCount;
        var slots = _scratchSlots;
        var count = 0;
        var lines = 0;
        var dataBytes = 0;
        var kind = AmiMessageKind.Event;
        var body = CommandBody.None;
        List<string>? output = null;
        var position = 0;
        while (true)
        {
            var lineStart = position;
            var rest = span[position..];
            var lf = rest.IndexOf(ByteLF);
            if (lf < 0)
            {
                if (rest.Length > maxLine + 1)
                {
                    return Fail(out outcome, AmiProtocolError.LineTooLong, lineStart, lineStart, body);
                }

                if (span.Length > maxMessage)
                {
                    return Fail(out outcome, AmiProtocolError.MessageTooLarge, 0, lineStart, body);
                }

                return ParseStatus.Incomplete;
            }

            var line = rest[..lf];
            if (!line.IsEmpty && line[^1] == ByteCR)
            {
                line = line[..^1];
            }

            position += lf + 1;
            if (line.Length > maxLine)
            {
                return Fail(out outcome, AmiProtocolError.LineTooLong, lineStart, lineStart, body);
            }

            if (position > maxMessage)
            {
                return Fail(out outcome, AmiProtocolError.MessageTooLarge, 0, lineStart, body);
            }

            if (line.IsEmpty && body != CommandBody.Lines)
            {
                outcome.Consumed = position;
                outcome.Message = Build(span, slots, count, dataBytes, kind, output);
                return ParseStatus.Message;
            }

            if (++lines > maxHeaders)
            {
                return Fail(out outcome, AmiProtocolError.TooManyHeaders, 0, lineStart, body);
            }

            int colon;
            if (body is CommandBody.Headers or CommandBody.Lines)
            {
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

                colon = line.IndexOf(ByteColon);
                if (body == CommandBody.Lines || colon <= 0 || !IsCommandHeader(line[..colon]))
                {
                    body = CommandBody.Lines;
                    output!.Add(Utf8.GetString(line));
                    continue;
                }
            }
            else
            {
                colon = line.IndexOf(ByteColon);
                if (colon <= 0)
                {
                    var error = count == 0 ? AmiProtocolError.UnknownMessageKind
                        : colon < 0 ? AmiProtocolError.MissingColon
                        : AmiProtocolError.EmptyHeaderName;
                    return Fail(out outcome, error, lineStart, lineStart, body);
                }
            }

            var name = line[..colon];
            var valueOffset = colon + 1;
            if (valueOffset < line.Length && line[valueOffset] == ByteSpace)
            {
                valueOffset++;
            }

            var value = line[valueOffset..];
            if (count == 0)
            {
                if (!TryGetKind(name, out kind))
                {
                    return Fail(out outcome, AmiProtocolError.UnknownMessageKind, lineStart, lineStart, body);
                }

                if (kind == AmiMessageKind.Response && Ascii.EqualsIgnoreCase(value, "Follows"u8))
                {
                    body = CommandBody.Headers;
                    output = [];
                }
            }
            else if (kind == AmiMessageKind.Response && body == CommandBody.None && Ascii.EqualsIgnoreCase(name, "Output"u8))
            {
                (output ??= []).Add(Utf8.GetString(value));
            }

            if (count == slots.Length)
            {
                Array.Resize(ref _scratchSlots, Math.Min(slots.Length * 2, Math.Max(maxHeaders, slots.Length + 1)));
                slots = _scratchSlots;
            }

            slots[count++] = new HeaderSlot(lineStart, colon, lineStart + valueOffset, value.Length);
            dataBytes += colon + value.Length;
        }
    }

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

    /// <summary>Copies the header names and values into one exact-size buffer and wraps them.</summary>
    private static AmiMessage Build(ReadOnlySpan<byte> span, HeaderSlot[] source, int count, int dataBytes, AmiMessageKind kind, List<string>? output)
    {
        var data = new byte[dataBytes];
        var slots = new HeaderSlot[count];
        var target = data.AsSpan();
        var written = 0;
        for (var i = 0; i < count; i++)
        {
            var slot = source[i];
            span.Slice(slot.NameStart, slot.NameLength).CopyTo(target[written..]);
            var nameStart = written;
            written += slot.NameLength;
            span.Slice(slot.ValueStart, slot.ValueLength).CopyTo(target[written..]);
            slots[i] = new HeaderSlot(nameStart, slot.NameLength, written, slot.ValueLength);
            written += slot.ValueLength;
        }

        return AmiMessage.FromParts(kind, data, slots, count, output?.AsReadOnly());
    }

    private struct ParseOutcome
    {
        public int Consumed;
        public AmiMessage? Message;
        public AmiProtocolError Error;
        public int ReportAt;
        public int ResumeAt;
        public SkipMode Skip;
    }
}
