using System.Buffers;
using BenchmarkDotNet.Attributes;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// The sans-I/O reader alone over a stream that arrives a little at a time, as a socket hands
/// it over: each read appends <see cref="ChunkBytes"/> to what the reader left, so most events
/// are seen partly before they are whole and the reader must not start them over.
/// </summary>
[MemoryDiagnoser]
public class ParserTrickleBenchmarks
{
    private const int EventCount = 100_000;
    private byte[] _bytes = [];
    private ReadOnlySequence<byte>[] _segmentedViews = [];

    /// <summary>Bytes that arrive per read: a few, and a small TCP segment.</summary>
    [Params(64, 536)]
    public int ChunkBytes { get; set; }

    /// <summary>Whether the unread bytes are one segment or 4 KB segments.</summary>
    [Params(false, true)]
    public bool Segmented { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bytes = CallEventCorpus.Build(EventCount, out _);
        var whole = BufferSegment.Split(_bytes, 4096);
        _segmentedViews = [whole];
    }

    [Benchmark(OperationsPerInvoke = EventCount)]
    public int Parse()
    {
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = false });
        var whole = _segmentedViews[0];

        // Positions, not offsets: slicing a long segmented sequence by offset walks it from the start.
        var start = whole.Start;
        var end = whole.Start;
        long arrived = 0;
        var count = 0;
        while (arrived < _bytes.Length)
        {
            var take = Math.Min(ChunkBytes, _bytes.Length - arrived);
            arrived += take;
            ReadOnlySequence<byte> buffer;
            if (Segmented)
            {
                end = whole.GetPosition(take, end);
                buffer = whole.Slice(start, end);
            }
            else
            {
                var offset = start.GetInteger();
                buffer = new ReadOnlySequence<byte>(_bytes, offset, (int)arrived - offset);
            }

            while (reader.TryRead(ref buffer, out var result))
            {
                if (result.Message is not null)
                {
                    count++;
                }
            }

            start = Segmented ? buffer.Start : new SequencePosition(_bytes, (int)(arrived - buffer.Length));
        }

        return count;
    }
}
