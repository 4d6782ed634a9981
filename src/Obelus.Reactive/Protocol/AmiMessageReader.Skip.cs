using System.Buffers;
using static Obelus.Reactive.Protocol.AmiBytes;

namespace Obelus.Reactive.Protocol;

/// <summary>Discarding the rest of a message already reported as bad, as its bytes arrive.</summary>
public sealed partial class AmiMessageReader
{
    private SkipMode _skipMode;

    // True when part of the current line was already discarded (so the line is not blank).
    private bool _skipLineHasContent;

    // True when the last whole line skipped was blank (inside a command body, a message may follow).
    private bool _skipAfterBlank;

    // Bytes needed to tell whether a line opens a message ("Response:" is the longer).
    private const int MessageStartBytes = 9;

    private enum SkipMode
    {
        None,

        /// <summary>Discard lines up to and including the next blank line.</summary>
        ToBlankLine,

        /// <summary>Inside a command output body: discard up to the line ending with the marker, then to the blank line.</summary>
        ToEndMarker,
    }

    /// <summary>
    /// Consumes skipped bytes from <paramref name="buffer"/>; true once the bad message has been
    /// passed entirely. A partial line is consumed too, except for a short tail (enough to
    /// recognise a blank line or the end marker when the rest of the line arrives), so memory
    /// stays bounded however long the bad input is.
    /// </summary>
    private bool TrySkip(ref ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            var lineStart = reader.Consumed;
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, ByteLF, advancePastDelimiter: true))
            {
                if (_skipMode == SkipMode.ToEndMarker && _skipAfterBlank && !_skipLineHasContent)
                {
                    // A line starts after a blank one inside a body: keep it until it shows
                    // whether it opens the next message (the body then lacked its end marker).
                    var partial = reader.UnreadSequence;
                    if (partial.Length < MessageStartBytes)
                    {
                        Consume(ref buffer, lineStart);
                        return false;
                    }

                    if (OpensMessage(partial))
                    {
                        return EndSkip(ref buffer, lineStart);
                    }
                }

                var keep = _skipMode == SkipMode.ToEndMarker ? EndCommandMarker.Length + 1 : 1;
                var discard = reader.Remaining - keep;
                if (discard > 0)
                {
                    reader.Advance(discard);
                    _skipLineHasContent = true;
                }

                Consume(ref buffer, reader.Consumed);
                return false;
            }

            if (_skipMode == SkipMode.ToEndMarker)
            {
                if (_skipAfterBlank && !_skipLineHasContent && OpensMessage(line))
                {
                    return EndSkip(ref buffer, lineStart);
                }

                if (EndsWithMarker(line))
                {
                    _skipMode = SkipMode.ToBlankLine;
                }

                _skipAfterBlank = !_skipLineHasContent && IsBlank(line);
            }
            else if (!_skipLineHasContent && IsBlank(line))
            {
                _skipMode = SkipMode.None;
                _skipLineHasContent = false;
                Consume(ref buffer, reader.Consumed);
                return true;
            }

            _skipLineHasContent = false;
        }
    }

    /// <summary>Stops skipping just before the line at <paramref name="lineStart"/>, which opens the next message.</summary>
    private bool EndSkip(ref ReadOnlySequence<byte> buffer, long lineStart)
    {
        _skipMode = SkipMode.None;
        _skipLineHasContent = false;
        _skipAfterBlank = false;
        Consume(ref buffer, lineStart);
        return true;
    }

    private static bool OpensMessage(ReadOnlySequence<byte> line)
    {
        Span<byte> head = stackalloc byte[MessageStartBytes];
        var length = (int)Math.Min(line.Length, head.Length);
        line.Slice(0, length).CopyTo(head);
        return StartsMessage(head[..length]);
    }

    private static bool IsBlank(ReadOnlySequence<byte> line) =>
        line.IsEmpty || (line.Length == 1 && line.FirstSpan[0] == ByteCR);

    private static bool EndsWithMarker(ReadOnlySequence<byte> line)
    {
        Span<byte> tail = stackalloc byte[EndCommandMarker.Length + 1];
        var length = (int)Math.Min(line.Length, tail.Length);
        line.Slice(line.Length - length).CopyTo(tail);
        var end = tail[..length];
        if (!end.IsEmpty && end[^1] == ByteCR)
        {
            end = end[..^1];
        }

        return end.EndsWith(EndCommandMarker);
    }
}
