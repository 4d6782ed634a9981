using System.Globalization;
using CsCheck;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>
/// Runs property checks. By default a fixed number of cases from fixed seeds, so CI is
/// repeatable; with <c>OBELUS_FUZZ_ITER=N</c> set, each property runs N cases from fresh random
/// seeds through CsCheck (multi-threaded, shrinking a failure to a small case).
/// </summary>
internal static class Fuzz
{
    /// <summary>Total cases run so far in this process (reported in docs/reliability.md).</summary>
    private static long _casesRun;

    public static long CasesRun => Interlocked.Read(ref _casesRun);

    public static void Check<T>(Gen<T> gen, Action<T> property, int cases, Func<T, string>? print = null)
    {
        if (Environment.GetEnvironmentVariable("OBELUS_FUZZ_ITER") is { Length: > 0 } iterations)
        {
            var count = long.Parse(iterations, CultureInfo.InvariantCulture);
            gen.Sample(property, iter: count, print: print);
            Interlocked.Add(ref _casesRun, count);
            return;
        }

        for (var i = 0; i < cases; i++)
        {
            var pcg = new PCG((uint)i, 0x0be1u + (ulong)i * 7919u);
            var seed = pcg.ToString();
            var input = gen.Generate(pcg, null!, out _);
            try
            {
                property(input);
            }
            catch (Exception ex)
            {
                var shown = print?.Invoke(input) ?? input?.ToString() ?? "null";
                if (shown.Length > 2000)
                {
                    shown = shown[..2000] + "...";
                }

                throw new InvalidOperationException($"Property failed for case {i} (CsCheck seed {seed}; replay with gen.Sample(property, seed: \"{seed}\") to shrink): {ex.Message}\nInput: {shown}", ex);
            }
        }

        Interlocked.Add(ref _casesRun, cases);
    }
}
