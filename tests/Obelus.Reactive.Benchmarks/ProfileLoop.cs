using System.Diagnostics;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// <c>--profile-loop SECONDS [client|calls|events|parser|parser-segmented|fold|parse-and-fold|parse-only|recorded-fold|recorded-fold-only|recorded-parse]</c>:
/// runs one benchmark body over and over for that long in this process, with no BenchmarkDotNet
/// harness around it, so a sampling profiler (perf, dotnet-trace) can attach to a warm process
/// and stop before it exits.
/// </summary>
/// <remarks>
/// The process id is printed first; a profiler started after the first few rounds sees only
/// fully optimised code. Each round's rate is printed so the profiled runs can be compared with
/// the benchmark tables.
/// </remarks>
public static class ProfileLoop
{
    /// <summary>The argument that selects this mode.</summary>
    public const string Switch = "--profile-loop";

    /// <summary>Runs the loop described by <paramref name="args"/> (the arguments after <see cref="Switch"/>).</summary>
    public static void Run(string[] args)
    {
        var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 60;
        var body = args.Length > 1 ? args[1] : "client";
        Console.WriteLine($"// profile loop: pid {Environment.ProcessId}, body {body}, {seconds} s");
        var round = CreateRound(body, out var eventsPerRound, out var prepare, out var cleanup);
        var total = Stopwatch.StartNew();
        var rounds = 0;
        var warmCpu = new List<double>();
        var warmRate = new List<double>();
        var warmPause = new List<double>();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            prepare();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var pause = GC.GetTotalPauseDuration();
            var gen0 = GC.CollectionCount(0);
            var gen1 = GC.CollectionCount(1);
            var gen2 = GC.CollectionCount(2);
            var watch = Stopwatch.StartNew();
            round();
            watch.Stop();
            var cpuNs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1e6 / eventsPerRound;
            var pauseNs = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds * 1e6 / eventsPerRound;
            gen0 = GC.CollectionCount(0) - gen0;
            gen1 = GC.CollectionCount(1) - gen1;
            gen2 = GC.CollectionCount(2) - gen2;
            rounds++;
            if (rounds > 5)
            {
                warmCpu.Add(cpuNs);
                warmRate.Add(eventsPerRound / watch.Elapsed.TotalSeconds);
                warmPause.Add(pauseNs);
            }

            if (rounds <= 5 || rounds % 20 == 0)
            {
                var last = GC.GetGCMemoryInfo(GCKind.Ephemeral);
                Console.WriteLine($"// round {rounds}: {eventsPerRound / watch.Elapsed.TotalSeconds:N0} events/s, {cpuNs:N0} CPU ns/event, GC pause {pauseNs:N0} ns/event, {gen0}/{gen1}/{gen2} gen0/1/2 collections; last young one promoted {last.PromotedBytes / 1e6:N1} MB in {last.PauseDurations[0].TotalMilliseconds:N1} ms, heap {last.HeapSizeBytes / 1e6:N0} MB");
            }
        }

        cleanup();
        Console.WriteLine($"// profile loop done: {rounds} rounds; after the first 5: median {Median(warmRate):N0} events/s, median {Median(warmCpu):N0} CPU ns/event, lowest decile {Percentile(warmCpu, 0.1):N0}, median GC pause {Median(warmPause):N0} ns/event");
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    // Noise from other work on the machine only ever adds time: the low end of the rounds is the steadier comparison.
    private static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[(int)(fraction * (values.Count - 1))];
    }

    /// <remarks><paramref name="prepare"/> runs before each round, outside its timing (as a benchmark's iteration setup).</remarks>
    private static Action CreateRound(string body, out int eventsPerRound, out Action prepare, out Action cleanup)
    {
        prepare = () => { };
        switch (body)
        {
            case "client":
                var endToEnd = new EndToEndBenchmarks { Events = 100_000 };
                endToEnd.Setup();
                eventsPerRound = (int)endToEnd.AmiClientEvents().GetAwaiter().GetResult();
                cleanup = endToEnd.Cleanup;
                return () => endToEnd.AmiClientEvents().GetAwaiter().GetResult();
            case "calls" or "events":
                var stream = new CallsEndToEndBenchmarks { Events = 1_000_000 };
                stream.Setup();
                eventsPerRound = stream.EventsPerInvocation;
                cleanup = () => { };
                return body == "calls" ? () => stream.TrackedCalls().GetAwaiter().GetResult() : () => stream.EventsPath().GetAwaiter().GetResult();
            case "parser" or "parser-segmented":
                var parser = new ParserBenchmarks { Segmented = body == "parser-segmented" };
                parser.Setup();
                eventsPerRound = parser.Parse();
                cleanup = () => { };
                return () => parser.Parse();
            case "fold" or "parse-and-fold" or "parse-only":
                var fold = new CallFoldBenchmarks { LiveCalls = BenchSizes.LiveCalls.First() };
                if (body == "fold")
                {
                    fold.Setup();
                }
                else
                {
                    fold.SetupWire();
                }

                fold.NextRound();
                eventsPerRound = fold.RoundEvents;
                prepare = fold.NextRound;
                cleanup = () => { };
                return body switch
                {
                    "fold" => () => fold.Fold(),
                    "parse-and-fold" => () => fold.ParseAndFold(),
                    _ => () => fold.ParseOnly(),
                };
            case "recorded-fold" or "recorded-parse":
                var recorded = new RecordedCallFoldBenchmarks { LiveCalls = BenchSizes.LiveCalls.First() };
                recorded.Setup();
                recorded.NextRound();
                eventsPerRound = recorded.RoundEvents;
                prepare = recorded.NextRound;
                cleanup = () => { };
                return body == "recorded-fold" ? () => recorded.ParseAndFold() : () => recorded.ParseOnly();
            case "recorded-fold-only":
                var parsed = new RecordedCallFoldBenchmarks { LiveCalls = BenchSizes.LiveCalls.First() };
                parsed.Setup();
                List<AmiEvent> events = [];
                prepare = () =>
                {
                    events = [];
                    parsed.NextRound();
                    events = parsed.ParseRound();
                    GC.Collect();
                };
                prepare();
                eventsPerRound = events.Count;
                cleanup = () => { };
                return () => parsed.FoldParsed(events);
            default:
                throw new ArgumentException($"Unknown profile body '{body}': use client, calls, events, parser, parser-segmented, fold, parse-and-fold, parse-only, recorded-fold, recorded-fold-only or recorded-parse.", nameof(body));
        }
    }
}
