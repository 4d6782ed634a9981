using System.Buffers;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Protocol.ReaderDriver;

namespace Obelus.Reactive.Tests.Protocol;

/// <summary>
/// Every real capture must parse the same however the pipe cuts it: whole, in two segments
/// cut at every byte, one byte per segment, and in streamed chunks.
/// </summary>
public sealed class AmiMessageReaderTraceTests
{
    public static TheoryData<string> Traces => TraceFiles.ReceivedTheoryData();

    [Theory]
    [MemberData(nameof(Traces))]
    public void Trace_parses_whole_into_a_banner_and_one_message_per_blank_line(string trace)
    {
        var data = TraceFiles.Received(trace);
        var reader = new AmiMessageReader();

        var results = ReadAll(new ReadOnlySequence<byte>(data), reader, out var remaining);

        Assert.Equal("Asterisk Call Manager", results[0].Banner?.Name);
        Assert.All(results.Skip(1), r => Assert.NotNull(r.Message));
        Assert.Equal(CountBlankLines(data), results.Count - 1);
        Assert.True(remaining.IsEmpty);
        Assert.Equal(data.Length, reader.Offset);
        Assert.Null(reader.Complete(remaining));
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void Trace_cut_in_two_at_every_byte_gives_the_same_messages(string trace)
    {
        // The reader keeps no state from one message to the next (past the banner), so a cut only
        // matters to the item it falls in and the one starting the second segment. Reading that
        // window for each cut tests every byte position of every trace in linear time; a whole
        // trace per cut would be quadratic (minutes for the 30 KB captures).
        var data = TraceFiles.Received(trace);
        var expected = ReadAll(new ReadOnlySequence<byte>(data), new AmiMessageReader(), out _);
        var bounds = ItemBounds(data);
        bounds.Insert(0, 0);
        for (var item = 0; item < expected.Count; item++)
        {
            var start = (int)bounds[item];
            var end = (int)bounds[Math.Min(item + 2, bounds.Count - 1)];
            var window = data[start..end];
            var want = expected.GetRange(item, Math.Min(2, expected.Count - item));
            var options = item == 0 ? AmiReaderOptions.Default : NoBanner;
            for (var at = 1; at < (int)(bounds[item + 1] - start); at++)
            {
                var reader = new AmiMessageReader(options);
                var actual = ReadAll(Segments.SplitAt(window, at), reader, out var remaining);

                AssertSameResults(want, actual, start + at);
                if (!remaining.IsEmpty)
                {
                    Assert.Fail($"bytes left over when cut at {start + at}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void Whole_trace_cut_in_two_gives_the_same_messages(string trace)
    {
        // Whole-trace cuts on top of the window test above; strided on the larger captures
        // (at most about 700 cuts each) to keep the run to seconds.
        var data = TraceFiles.Received(trace);
        var expected = ReadAll(new ReadOnlySequence<byte>(data), new AmiMessageReader(), out _);
        var stride = Math.Max(1, (data.Length / 700) | 1);
        for (var at = 1; at < data.Length; at += stride)
        {
            var actual = ReadAll(Segments.SplitAt(data, at), new AmiMessageReader(), out var remaining);

            AssertSameResults(expected, actual, at);
            Assert.True(remaining.IsEmpty);
        }
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void Trace_in_one_byte_segments_gives_the_same_messages(string trace)
    {
        var data = TraceFiles.Received(trace);
        var expected = ReadAll(new ReadOnlySequence<byte>(data), new AmiMessageReader(), out _);

        var actual = ReadAll(Segments.OneBytePerSegment(data), new AmiMessageReader(), out var remaining);

        Assert.Equal(RenderAll(expected), RenderAll(actual));
        Assert.True(remaining.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void Trace_streamed_in_small_chunks_gives_the_same_messages(string trace)
    {
        var data = TraceFiles.Received(trace);
        var expected = RenderAll(ReadAll(new ReadOnlySequence<byte>(data), new AmiMessageReader(), out _));

        foreach (var size in new[] { 1, 3, 17, 500, 4096 })
        {
            var actual = Feed(new AmiMessageReader(), data.Chunk(size), out _, out var remaining);

            Assert.Equal(expected, RenderAll(actual));
            Assert.True(remaining.IsEmpty);
        }
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void Every_prefix_of_every_message_reads_nothing_and_consumes_nothing(string trace)
    {
        var data = TraceFiles.Received(trace);
        var bounds = ItemBounds(data);

        // The banner line: only a reader expecting it.
        AssertPrefixesIncomplete(data.AsMemory(0, (int)bounds[0]), AmiReaderOptions.Default);
        for (var i = 1; i < bounds.Count; i++)
        {
            AssertPrefixesIncomplete(data.AsMemory((int)bounds[i - 1], (int)(bounds[i] - bounds[i - 1])), NoBanner);
        }
    }

    private static void AssertPrefixesIncomplete(ReadOnlyMemory<byte> item, AmiReaderOptions options)
    {
        for (var length = 0; length < item.Length; length++)
        {
            var reader = new AmiMessageReader(options);
            var input = new ReadOnlySequence<byte>(item[..length]);

            if (reader.TryRead(ref input, out _))
            {
                Assert.Fail($"prefix of {length} bytes of '{Head(item)}' read as complete");
            }

            Assert.Equal(length, input.Length);
            Assert.Equal(0, reader.Offset);
        }
    }

    /// <summary>The stream offset after each item of a whole-trace read.</summary>
    private static List<long> ItemBounds(byte[] data)
    {
        var reader = new AmiMessageReader();
        var input = new ReadOnlySequence<byte>(data);
        var bounds = new List<long>();
        while (reader.TryRead(ref input, out _))
        {
            bounds.Add(reader.Offset);
        }

        return bounds;
    }

    private static int CountBlankLines(byte[] data)
    {
        var count = 0;
        for (var i = 3; i < data.Length; i++)
        {
            if (data[i - 3] == '\r' && data[i - 2] == '\n' && data[i - 1] == '\r' && data[i] == '\n')
            {
                count++;
            }
        }

        return count;
    }

    private static string Head(ReadOnlyMemory<byte> item) =>
        System.Text.Encoding.UTF8.GetString(item.Span[..Math.Min(item.Length, 40)]);

    /// <summary>Compares byte for byte without decoding, so cutting at every byte stays fast.</summary>
    private static void AssertSameResults(List<AmiReadResult> expected, List<AmiReadResult> actual, int cut)
    {
        if (expected.Count != actual.Count)
        {
            Assert.Fail($"cut at {cut}: {actual.Count} items instead of {expected.Count}");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Banner is { } banner)
            {
                Assert.Equal(banner, actual[i].Banner);
                continue;
            }

            var want = expected[i].Message!;
            var got = actual[i].Message;
            if (got is null)
            {
                Assert.Fail($"cut at {cut}: item {i} is not a message ({Render(actual[i])})");
            }

            var same = want.Kind == got.Kind && want.Count == got.Count && want.Output.SequenceEqual(got.Output);
            for (var h = 0; same && h < want.Count; h++)
            {
                same = want.RawNameAt(h).SequenceEqual(got.RawNameAt(h)) && want.RawValueAt(h).SequenceEqual(got.RawValueAt(h));
            }

            if (!same)
            {
                Assert.Fail($"cut at {cut}: message {i} differs\n{Render(expected[i])}\n---\n{Render(actual[i])}");
            }
        }
    }
}
