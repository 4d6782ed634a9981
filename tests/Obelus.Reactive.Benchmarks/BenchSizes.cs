namespace Obelus.Reactive.Benchmarks;

/// <summary>Workload sizes: full ones for the published figures, small ones for the smoke run (<c>--quick</c>).</summary>
public static class BenchSizes
{
    /// <summary>Set by <c>--quick</c> in the host and inherited by the benchmark processes.</summary>
    public const string QuickVariable = "OBELUS_BENCH_QUICK";

    public static bool Quick => Environment.GetEnvironmentVariable(QuickVariable) == "1";

    /// <summary>Events per end-to-end invocation.</summary>
    public static IEnumerable<int> EndToEndEvents => [Quick ? 20_000 : 100_000];

    /// <summary>Originates per invocation of the round-trip benchmark.</summary>
    public static IEnumerable<int> Originates => [Quick ? 256 : 2_048];
}
