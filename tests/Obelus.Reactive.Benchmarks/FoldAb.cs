using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// <c>--fold-ab SECONDS DIR_A DIR_B [LIVE_CALLS]</c>: the fold delta of two builds in one process.
/// DIR_A and DIR_B are output folders of this project (each with its own Obelus.Reactive.dll);
/// each build is loaded into a context of its own, and their rounds alternate, so both see the
/// same machine minute by minute, the same runtime and the same heap.
/// </summary>
/// <remarks>
/// Two runs of <see cref="FoldDelta"/> for the same build differed by up to 150 ns per event on
/// this shared host, more than most changes left to make on the fold. Within one process the
/// builds still differ in where their objects lie, but no longer in the host's load at the time
/// of their run, nor in what the process happened to start with.
/// </remarks>
public static class FoldAb
{
    /// <summary>The argument that selects this mode.</summary>
    public const string Switch = "--fold-ab";

    private const int WarmupRounds = 5;

    /// <summary>Runs the rounds described by <paramref name="args"/> (the arguments after <see cref="Switch"/>).</summary>
    public static void Run(string[] args)
    {
        if (args.Length < 3)
        {
            throw new ArgumentException($"usage: {Switch} SECONDS DIR_A DIR_B [LIVE_CALLS]");
        }

        var seconds = double.Parse(args[0], CultureInfo.InvariantCulture);
        var liveCalls = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : BenchSizes.LiveCalls.First();
        var a = Build.Load("A", args[1], liveCalls);
        var b = Build.Load("B", args[2], liveCalls);
        var deltaA = new List<double>();
        var deltaB = new List<double>();
        var difference = new List<double>();
        var pauseA = new List<double>();
        var pauseB = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; clock.Elapsed.TotalSeconds < seconds; round++)
        {
            // Which build goes first, and within each which body, changes from round to round.
            var (first, second) = round % 2 == 0 ? (a, b) : (b, a);
            var firstDelta = first.Delta(parseFirst: round % 4 < 2);
            var secondDelta = second.Delta(parseFirst: round % 4 >= 2);
            if (round < WarmupRounds)
            {
                continue;
            }

            var (ofA, ofB) = first == a ? (firstDelta, secondDelta) : (secondDelta, firstDelta);
            deltaA.Add(ofA.CpuNs);
            deltaB.Add(ofB.CpuNs);
            pauseA.Add(ofA.PauseNs);
            pauseB.Add(ofB.PauseNs);
            difference.Add(ofB.CpuNs - ofA.CpuNs);
        }

        Console.WriteLine($"// fold delta at {liveCalls:N0} live calls, {difference.Count} rounds of each build in one process after {WarmupRounds} warm-up ones");
        Console.WriteLine($"// A {args[1]}: {Median(deltaA)} CPU ns/event added (quartiles {Quartiles(deltaA)}), of it GC pause {Median(pauseA)}");
        Console.WriteLine($"// B {args[2]}: {Median(deltaB)} CPU ns/event added (quartiles {Quartiles(deltaB)}), of it GC pause {Median(pauseB)}");
        Console.WriteLine($"// B minus A, round by round: median {Median(difference)} ns/event (quartiles {Quartiles(difference)}); B lower in {difference.Count(d => d < 0)} rounds of {difference.Count}");
    }

    private static string Median(List<double> values) => FoldDelta.Percentile(values, 0.5).ToString("N0", CultureInfo.InvariantCulture);

    private static string Quartiles(List<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"{FoldDelta.Percentile(values, 0.25):N0}–{FoldDelta.Percentile(values, 0.75):N0}");

    /// <summary>One build's <see cref="RecordedCallFoldBenchmarks"/>, in a load context of its own.</summary>
    private sealed class Build
    {
        private readonly Action _nextRound;
        private readonly Func<long> _parseOnly;
        private readonly Func<long> _parseAndFold;
        private readonly Func<int> _roundEvents;

        private Build(object benchmark)
        {
            var type = benchmark.GetType();
            _nextRound = type.GetMethod(nameof(RecordedCallFoldBenchmarks.NextRound))!.CreateDelegate<Action>(benchmark);
            _parseOnly = type.GetMethod(nameof(RecordedCallFoldBenchmarks.ParseOnly))!.CreateDelegate<Func<long>>(benchmark);
            _parseAndFold = type.GetMethod(nameof(RecordedCallFoldBenchmarks.ParseAndFold))!.CreateDelegate<Func<long>>(benchmark);
            _roundEvents = type.GetProperty(nameof(RecordedCallFoldBenchmarks.RoundEvents))!.GetMethod!.CreateDelegate<Func<int>>(benchmark);
        }

        public static Build Load(string name, string directory, int liveCalls)
        {
            var context = new BuildContext(name, Path.GetFullPath(directory));
            var assembly = context.LoadFromAssemblyPath(Path.Combine(context.Directory, typeof(FoldAb).Assembly.GetName().Name + ".dll"));
            var type = assembly.GetType(typeof(RecordedCallFoldBenchmarks).FullName!, throwOnError: true)!;
            var benchmark = Activator.CreateInstance(type)!;
            type.GetProperty(nameof(RecordedCallFoldBenchmarks.LiveCalls))!.SetValue(benchmark, liveCalls);
            type.GetMethod(nameof(RecordedCallFoldBenchmarks.Setup))!.Invoke(benchmark, null);
            return new Build(benchmark);
        }

        /// <summary>A new round, parsed only and parsed and folded: what the fold added.</summary>
        public FoldDelta.Sample Delta(bool parseFirst)
        {
            _nextRound();
            var (only, fold) = FoldDelta.MeasurePair(() => _parseOnly(), () => _parseAndFold(), _roundEvents(), parseFirst);

            return new FoldDelta.Sample(fold.CpuNs - only.CpuNs, fold.PauseNs - only.PauseNs, fold.Bytes - only.Bytes, fold.Collections);
        }
    }

    /// <summary>Loads this project's assemblies and the library's from one build's folder; everything else is shared.</summary>
    private sealed class BuildContext(string name, string directory) : AssemblyLoadContext(name)
    {
        public string Directory { get; } = directory;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(Directory, assemblyName.Name + ".dll");
            return assemblyName.Name is { } simple && simple.StartsWith("Obelus.Reactive", StringComparison.Ordinal) && File.Exists(path)
                ? LoadFromAssemblyPath(path)
                : null;
        }
    }
}
