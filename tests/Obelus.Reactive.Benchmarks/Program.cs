using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release -- --filter '*'</c> for the full set, or add
/// <c>--quick</c> for a smoke run (small workloads, few iterations, in-process), or
/// <c>--profile-loop SECONDS BODY</c> to run one body in a loop for a sampling profiler (the
/// bodies are listed on <see cref="ProfileLoop"/>), or <c>--first-burst calls|events</c> for the
/// first burst of a fresh process (<see cref="FirstBurst"/>), or <c>--fold-delta SECONDS</c> for
/// the fold's cost in paired rounds (<see cref="FoldDelta"/>), or <c>--fold-ab SECONDS DIR_A DIR_B</c>
/// for that of two builds in one process (<see cref="FoldAb"/>); see docs/performance.md.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ProfileLoop.Switch)
        {
            ProfileLoop.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == FoldDelta.Switch)
        {
            FoldDelta.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == FoldAb.Switch)
        {
            FoldAb.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == FirstBurst.Switch)
        {
            FirstBurst.RunAsync(args[1..]).GetAwaiter().GetResult();
            return;
        }

        BenchMetrics.Reset();
        IConfig? config = null;
        if (args.Contains("--quick"))
        {
            args = [.. args.Where(a => a != "--quick")];
            Environment.SetEnvironmentVariable(BenchSizes.QuickVariable, "1");
            config = DefaultConfig.Instance.AddJob(Job.Dry
                .WithWarmupCount(1)
                .WithIterationCount(2)
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId("Quick"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
