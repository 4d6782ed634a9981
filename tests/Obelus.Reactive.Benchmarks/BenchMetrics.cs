using System.Diagnostics;
using System.Globalization;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// Figures BenchmarkDotNet does not collect (allocations on every thread, peak working set,
/// retained memory), measured inside the benchmark process and handed to the columns of the
/// host process through small files, one per benchmark case.
/// </summary>
/// <remarks>
/// Allocations are <see cref="GC.GetTotalAllocatedBytes(bool)"/> deltas around each invocation
/// (summed over all of them; CPU time is the median of the per-invocation figures):
/// process-wide and precise, so the read loop and dispatcher (thread pool threads) are counted,
/// and so is the loopback server in the same process (a few bytes per 64 KB send).
/// </remarks>
public sealed class BenchMetrics
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "obelus-bench-metrics");
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    private long _allocated;
    private long _operations;
    private long _start;
    private TimeSpan _cpuStart;
    private int _gen2Start;
    private TimeSpan _pauseStart;
    private TimeSpan _paused;
    private int _gen2During;
    private int _invocations;

    // One figure per invocation: the warm-up ones (tier-0 code, background JIT) are the slowest,
    // and an average over all of them overstated the warm cost by half or more.
    private readonly List<double> _cpuNsPerOp = [];

    /// <summary>Operations (events, originates) per invocation, for the throughput columns.</summary>
    public long OperationsPerInvoke { get; set; }

    public static void Reset()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public void Begin()
    {
        _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        _gen2Start = GC.CollectionCount(2);
        _pauseStart = GC.GetTotalPauseDuration();
        _start = GC.GetTotalAllocatedBytes(precise: true);
    }

    public void End(long operations)
    {
        _allocated += GC.GetTotalAllocatedBytes(precise: true) - _start;

        // Inside the invocation only: the harness's own collections between invocations are not counted.
        _gen2During += GC.CollectionCount(2) - _gen2Start;
        _invocations++;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuStart;
        _operations += operations;
        _paused += GC.GetTotalPauseDuration() - _pauseStart;
        if (operations > 0)
        {
            _cpuNsPerOp.Add(cpu.TotalNanoseconds / operations);
        }
    }

    public void Set(string name, double value) => _values[name] = value;

    /// <summary>Writes what was measured for one case; call from the global cleanup.</summary>
    public void Save(string benchmark, string parameters)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Set("ops", OperationsPerInvoke);
        Set("peak_ws", process.PeakWorkingSet64);
        Set("gen2_per_invoke", _invocations == 0 ? 0 : _gen2During / (double)_invocations);
        if (_operations > 0)
        {
            Set("alloc_per_op", _allocated / (double)_operations);
            _cpuNsPerOp.Sort();
            Set("cpu_ns_per_op", _cpuNsPerOp[_cpuNsPerOp.Count / 2]);
            // A mean, not a median: most invocations of a small workload see no collection at all.
            Set("gc_pause_ns_per_op", _paused.TotalNanoseconds / _operations);
        }

        System.IO.Directory.CreateDirectory(Directory);
        var lines = _values.Select(kv => kv.Key + "=" + kv.Value.ToString("R", CultureInfo.InvariantCulture));
        File.WriteAllLines(PathOf(benchmark, parameters), lines);
        Console.WriteLine($"// metrics {benchmark} [{parameters}]: " + string.Join(", ", lines));
    }

    public static IReadOnlyDictionary<string, double> Load(string benchmark, string parameters)
    {
        var path = PathOf(benchmark, parameters);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                values[line[..eq]] = double.Parse(line[(eq + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return values;
    }

    private static string PathOf(string benchmark, string parameters)
    {
        var name = string.Concat((benchmark + "_" + parameters).Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_'));
        return Path.Combine(Directory, name + ".txt");
    }
}
