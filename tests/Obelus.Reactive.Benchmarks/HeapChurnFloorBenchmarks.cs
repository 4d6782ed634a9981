using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// What the runtime alone charges for keeping many short-lived-but-not-young objects: a map of
/// <see cref="LiveEntries"/> small objects keyed by Uniqueid-like strings, where each operation
/// adds one entry and removes the oldest, with some garbage beside it as a stream of events makes.
/// No call logic at all: the floor under the fold's figures at the same number of live calls.
/// </summary>
/// <remarks>
/// Each object outlives a young collection, so it is promoted, and the old map then points at
/// young objects: every young collection has to find those references. The cost grows with the
/// number of such objects (a map that nothing replaces costs next to nothing; see
/// docs/performance.md), not with their bytes, and it is paid by any design that keeps one new
/// object per live call in a hash map.
/// </remarks>
[Config(typeof(Config))]
public class HeapChurnFloorBenchmarks
{
    private const int EventsPerOperation = 7;

    // What the parser allocates per event of the fold's round (CallFoldBenchmarks.ParseOnly).
    private const int GarbagePerEvent = 630;
    private readonly byte[][] _lastGarbage = new byte[EventsPerOperation][];
    private readonly BenchMetrics _metrics = new();
    private Dictionary<string, Entry> _map = null!;
    private long _next;
    private long _oldest;

    /// <summary>Entries alive at once, as live calls in <see cref="CallFoldBenchmarks"/>.</summary>
    [ParamsSource(typeof(BenchSizes), nameof(BenchSizes.LiveCalls))]
    public int LiveEntries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _map = new Dictionary<string, Entry>(StringComparer.Ordinal);
        for (; _next < LiveEntries; _next++)
        {
            var key = Key(_next);
            _map.Add(key, new Entry(key));
        }

        _oldest = 0;
        _metrics.OperationsPerInvoke = LiveEntries;
    }

    [GlobalCleanup]
    public void Cleanup() =>
        _metrics.Save(nameof(HeapChurnFloorBenchmarks) + "." + nameof(Churn), CaseKey.Parameters((nameof(LiveEntries), LiveEntries)));

    /// <summary>
    /// <see cref="LiveEntries"/> operations: each makes the garbage of seven parsed events (what
    /// the parser allocates for each), adds an entry and removes the oldest one.
    /// </summary>
    [Benchmark]
    public long Churn()
    {
        _metrics.Begin();
        var map = _map;
        long kept = 0;
        for (var i = 0; i < LiveEntries; i++)
        {
            for (var e = 0; e < EventsPerOperation; e++)
            {
                // Stored, so that it is heap garbage: an array that never escapes may be allocated
                // on the stack, and then the floor would have no garbage at all.
                var garbage = new byte[GarbagePerEvent];
                _lastGarbage[e] = garbage;
                kept += garbage.Length;
            }

            var key = Key(_next++);
            map.Add(key, new Entry(key));
            map.Remove(Key(_oldest++));
        }

        _metrics.End(LiveEntries);
        return kept + map.Count;
    }

    private static string Key(long n) => "1795682138." + n.ToString(CultureInfo.InvariantCulture);

    private sealed class Entry(string id)
    {
        public string Id { get; } = id;

        public long Serial { get; set; }

        public object? Owner { get; set; }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            AddColumn(
                MetricColumn.Throughput("operations"),
                MetricColumn.Saved("CPU ns/op", "cpu_ns_per_op", "process CPU time per operation (background GC included), median over invocations"),
                MetricColumn.GcPause("op"));
        }
    }
}
