using System.Buffers;
using BenchmarkDotNet.Attributes;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Benchmarks;

/// <summary>The sans-I/O reader alone over an in-memory stream of call events.</summary>
/// <remarks>Min and median shown too: on a shared machine other work only ever adds time to an iteration.</remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ParserBenchmarks
{
    private const int EventCount = 100_000;
    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _segmented;
    private int _events;

    /// <summary>Whether the input is one segment or 4 KB segments, as a socket hands it over.</summary>
    [Params(false, true)]
    public bool Segmented { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var bytes = CallEventCorpus.Build(EventCount, out _events);
        _single = new ReadOnlySequence<byte>(bytes);
        _segmented = BufferSegment.Split(bytes, 4096);
        Console.WriteLine($"// corpus: {_events} events, {bytes.Length} bytes, {bytes.Length / (double)_events:F0} bytes/event");
    }

    [Benchmark(OperationsPerInvoke = EventCount)]
    public int Parse()
    {
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = false });
        var buffer = Segmented ? _segmented : _single;
        var count = 0;
        while (reader.TryRead(ref buffer, out var result))
        {
            if (result.Message is not null)
            {
                count++;
            }
        }

        return count;
    }
}
