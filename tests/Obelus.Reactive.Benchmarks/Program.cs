using BenchmarkDotNet.Running;

namespace Obelus.Reactive.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter '*'</c>; see docs/performance.md.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
