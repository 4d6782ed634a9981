using System.Diagnostics;
using System.Globalization;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// <c>--fold-delta SECONDS [LIVE_CALLS]</c>: what the fold adds per event, measured in pairs. Each
/// round of <see cref="RecordedCallFoldBenchmarks"/> is parsed only and parsed and folded, back
/// to back in one warm process (the order alternating from round to round), and the difference
/// is taken within the pair.
/// </summary>
/// <remarks>
/// The benchmark table subtracts two processes run minutes apart, each the median of three
/// invocations; on a shared host the same build's difference moved by half between runs. Within
/// a pair both bodies see the same machine, the same heap and the same compiled code, so the
/// median of many pairs is the steadier figure. Each body starts after a full collection, as
/// the table's invocations do.
/// </remarks>
public static class FoldDelta
{
    /// <summary>The argument that selects this mode.</summary>
    public const string Switch = "--fold-delta";

    // The first rounds run code that is still being compiled in tiers: not counted.
    private const int WarmupPairs = 5;

    /// <summary>Runs the pairs described by <paramref name="args"/> (the arguments after <see cref="Switch"/>).</summary>
    public static void Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 120;
        var liveCalls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : BenchSizes.LiveCalls.First();
        var benchmark = new RecordedCallFoldBenchmarks { LiveCalls = liveCalls };
        benchmark.Setup();
        var cpu = new List<double>();
        var pause = new List<double>();
        var foldCpu = new List<double>();
        var allocated = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var pair = 0; clock.Elapsed.TotalSeconds < seconds; pair++)
        {
            benchmark.NextRound();
            Sample only, fold;
            if (pair % 2 == 0)
            {
                only = Measure(() => benchmark.ParseOnly(), benchmark.RoundEvents);
                fold = Measure(() => benchmark.ParseAndFold(), benchmark.RoundEvents);
            }
            else
            {
                fold = Measure(() => benchmark.ParseAndFold(), benchmark.RoundEvents);
                only = Measure(() => benchmark.ParseOnly(), benchmark.RoundEvents);
            }

            if (pair >= WarmupPairs)
            {
                cpu.Add(fold.CpuNs - only.CpuNs);
                pause.Add(fold.PauseNs - only.PauseNs);
                foldCpu.Add(fold.CpuNs);
                allocated.Add(fold.Bytes - only.Bytes);
            }
        }

        Console.WriteLine(
            $"// fold delta at {liveCalls:N0} live calls, {cpu.Count} pairs after {WarmupPairs} warm-up ones: " +
            $"fold adds {Percentile(cpu, 0.5):N0} CPU ns/event (quartiles {Percentile(cpu, 0.25):N0}–{Percentile(cpu, 0.75):N0}), " +
            $"of it GC pause {Percentile(pause, 0.5):N0}; parse and fold {Percentile(foldCpu, 0.5):N0} CPU ns/event; " +
            $"the fold allocates {Percentile(allocated, 0.5):N1} B/event");
    }

    private static Sample Measure(Action body, int events)
    {
        // As the table's invocations: what the round setup and the other body left is not this body's.
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var pause = GC.GetTotalPauseDuration();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        body();
        bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        process.Refresh();
        return new Sample(
            (process.TotalProcessorTime - cpu).TotalNanoseconds / events,
            (GC.GetTotalPauseDuration() - pause).TotalNanoseconds / events,
            bytes / (double)events);
    }

    private static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[(int)(fraction * (sorted.Count - 1))];
    }

    private readonly record struct Sample(double CpuNs, double PauseNs, double Bytes);
}
