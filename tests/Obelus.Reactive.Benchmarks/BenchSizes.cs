namespace Obelus.Reactive.Benchmarks;

/// <summary>Workload sizes: full ones for the published figures, small ones for the smoke run (<c>--quick</c>).</summary>
public static class BenchSizes
{
    /// <summary>Set by <c>--quick</c> in the host and inherited by the benchmark processes.</summary>
    public const string QuickVariable = "OBELUS_BENCH_QUICK";

    public static bool Quick => Environment.GetEnvironmentVariable(QuickVariable) == "1";

    /// <summary>Events per end-to-end invocation.</summary>
    public static IEnumerable<int> EndToEndEvents => [Quick ? 20_000 : 100_000];

    /// <summary>Events per invocation of the calls-versus-events stream (a 1 M-event burst).</summary>
    public static IEnumerable<int> CallStreamEvents => [Quick ? 50_000 : 1_000_000];

    /// <summary>Originates per invocation of the round-trip benchmark.</summary>
    public static int Originates(int inFlight) => inFlight == 1 ? (Quick ? 32 : 128) : (Quick ? 128 : 1_024);

    /// <summary>Calls live at once in the fold benchmark (each iteration also starts and ends that many).</summary>
    public static IEnumerable<int> LiveCalls => [Quick ? 10_000 : 100_000];
}
