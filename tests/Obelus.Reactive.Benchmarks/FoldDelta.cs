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
        var onlyCollections = new List<Collections>();
        var foldCollections = new List<Collections>();
        var clock = Stopwatch.StartNew();
        for (var pair = 0; clock.Elapsed.TotalSeconds < seconds; pair++)
        {
            benchmark.NextRound();
            var (only, fold) = MeasurePair(() => benchmark.ParseOnly(), () => benchmark.ParseAndFold(), benchmark.RoundEvents, parseFirst: pair % 2 == 0);

            if (pair >= WarmupPairs)
            {
                cpu.Add(fold.CpuNs - only.CpuNs);
                pause.Add(fold.PauseNs - only.PauseNs);
                foldCpu.Add(fold.CpuNs);
                allocated.Add(fold.Bytes - only.Bytes);
                onlyCollections.Add(only.Collections);
                foldCollections.Add(fold.Collections);
            }
        }

        Console.WriteLine(
            $"// fold delta at {liveCalls:N0} live calls, {cpu.Count} pairs after {WarmupPairs} warm-up ones: " +
            $"fold adds {Percentile(cpu, 0.5):N0} CPU ns/event (quartiles {Percentile(cpu, 0.25):N0}–{Percentile(cpu, 0.75):N0}), " +
            $"of it GC pause {Percentile(pause, 0.5):N0}; parse and fold {Percentile(foldCpu, 0.5):N0} CPU ns/event; " +
            $"the fold allocates {Percentile(allocated, 0.5):N1} B/event");
        Console.WriteLine(
            $"// young collections in a round ({pause.Count} rounds each): parse only {Describe(onlyCollections)}; parse and fold {Describe(foldCollections)}");
    }

    /// <summary>Parsing only and parsing and folding one round, in the order given.</summary>
    internal static (Sample Only, Sample Fold) MeasurePair(Action parseOnly, Action parseAndFold, int events, bool parseFirst)
    {
        if (parseFirst)
        {
            var only = Measure(parseOnly, events);
            return (only, Measure(parseAndFold, events));
        }

        var fold = Measure(parseAndFold, events);
        return (Measure(parseOnly, events), fold);
    }

    /// <summary>One body's CPU, pause and allocation per event, and its collections, after a full collection.</summary>
    internal static Sample Measure(Action body, int events)
    {
        // As the table's invocations: what the round setup and the other body left is not this body's.
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var pause = GC.GetTotalPauseDuration();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var (gen0, gen1) = (GC.CollectionCount(0), GC.CollectionCount(1));
        body();
        bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        var paused = GC.GetTotalPauseDuration() - pause;
        var collections = new Collections(GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, paused.TotalMilliseconds);
        process.Refresh();
        return new Sample(
            (process.TotalProcessorTime - cpu).TotalNanoseconds / events,
            paused.TotalNanoseconds / events,
            bytes / (double)events,
            collections);
    }

    /// <summary>Medians of the rounds: collections (of them gen1), and the pause per collection.</summary>
    private static string Describe(List<Collections> rounds)
    {
        var young = rounds.Select(r => (double)r.Young).ToList();
        var gen1 = rounds.Select(r => (double)r.Gen1).ToList();
        var each = rounds.Where(r => r.Young > 0).Select(r => r.PauseMs / r.Young).ToList();
        return $"{Percentile(young, 0.5):N0} (of them gen1 {Percentile(gen1, 0.5):N0}), {Percentile(each, 0.5):N2} ms paused each";
    }

    internal static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[(int)(fraction * (sorted.Count - 1))];
    }

    internal readonly record struct Sample(double CpuNs, double PauseNs, double Bytes, Collections Collections);

    /// <summary>Collections during one body (gen0 and up; gen1 and up) and their total pause.</summary>
    internal readonly record struct Collections(int Young, int Gen1, double PauseMs);
}
