using System.Buffers;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Tests.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>
/// Feeds a reader as a pipe would (chunk by chunk, keeping what it leaves) and checks, at every
/// call, the invariants every input must keep: one item per successful read, progress, offsets
/// that match the bytes consumed, and a bounded amount of data left in the buffer.
/// </summary>
internal static class ParserDrive
{
    public sealed record Run(List<AmiReadResult> Results, AmiProtocolException? Completion, long MaxHeld);

    public static Run Feed(AmiReaderOptions options, byte[] data, IEnumerable<int> cuts)
    {
        var reader = new AmiMessageReader(options);
        var results = new List<AmiReadResult>();
        var pending = Array.Empty<byte>();
        long maxHeld = 0;
        var start = 0;
        foreach (var end in cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Append(data.Length))
        {
            var buffer = Segments.Of(pending, data.AsMemory(start, end - start));
            start = end;
            var calls = 0L;
            var available = buffer.Length;
            var zeroProgressInARow = 0;
            while (true)
            {
                var before = buffer.Length;
                var offsetBefore = reader.Offset;
                var read = reader.TryRead(ref buffer, out var result);
                var consumed = before - buffer.Length;
                Assert.True(consumed >= 0, "the buffer grew");
                Assert.Equal(consumed, reader.Offset - offsetBefore);
                if (!read)
                {
                    break;
                }

                AssertOneItem(result, data.Length);
                results.Add(result);

                // An error may be reported before its line is consumed (skipping starts with that
                // line); a bad greeting that looks like a message is reported as a greeting error
                // and then as a message error on the same bytes. Never more than that without
                // progress, so the loop always terminates.
                zeroProgressInARow = consumed > 0 ? 0 : zeroProgressInARow + 1;
                Assert.True(zeroProgressInARow <= 2 && (zeroProgressInARow <= 1 || results[^2].Error?.Error == AmiProtocolError.InvalidBanner), $"two successful reads in a row consumed nothing (offset {reader.Offset}, {string.Join(" / ", results.TakeLast(2).Select(ReaderDriver.Render))})");
                Assert.True(++calls <= available + 3, "more items than bytes");
            }

            pending = buffer.ToArray();
            maxHeld = Math.Max(maxHeld, pending.Length);
            Assert.True(pending.Length <= HeldBound(options), $"the reader left {pending.Length} bytes buffered, over the bound {HeldBound(options)}");
        }

        var completion = reader.Complete(new ReadOnlySequence<byte>(pending));
        if (completion is not null)
        {
            Assert.Equal(AmiProtocolError.TruncatedMessage, completion.Error);
        }

        return new Run(results, completion, maxHeld);
    }

    /// <summary>
    /// The most the reader may leave unconsumed: a message still under the size limit, or a
    /// greeting line still under the line limit (plus its line end).
    /// </summary>
    public static long HeldBound(AmiReaderOptions options) => Math.Max(options.MaxMessageBytes, options.MaxLineLength + 2L);

    private static void AssertOneItem(AmiReadResult result, int inputLength)
    {
        var kinds = (result.Banner is null ? 0 : 1) + (result.Message is null ? 0 : 1) + (result.Error is null ? 0 : 1);
        Assert.Equal(1, kinds);
        if (result.Error is { } error)
        {
            Assert.InRange(error.Offset, 0, inputLength);
            Assert.True(Enum.IsDefined(error.Error));
            Assert.False(string.IsNullOrEmpty(error.Message));
        }
    }
}
