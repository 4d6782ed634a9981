using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Obelus.Reactive.Benchmarks;

/// <summary>Key of a case in <see cref="BenchMetrics"/>: "Type.Method" and "Name=Value,..." of its parameters.</summary>
public static class CaseKey
{
    public static string Benchmark(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type.Name + "." + benchmarkCase.Descriptor.WorkloadMethod.Name;

    public static string Parameters(BenchmarkCase benchmarkCase) =>
        string.Join(",", benchmarkCase.Parameters.Items.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));

    public static string Parameters(params (string Name, object Value)[] items) =>
        string.Join(",", items.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
}

/// <summary>A column computed from the benchmark's own measurements and the figures it saved.</summary>
public sealed class MetricColumn : IColumn
{
    private readonly Func<Summary, BenchmarkCase, string> _value;

    private MetricColumn(string name, string legend, Func<Summary, BenchmarkCase, string> value)
    {
        ColumnName = name;
        Legend = legend;
        _value = value;
    }

    public string Id => nameof(MetricColumn) + "." + ColumnName;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; }

    /// <summary>Operations per second: operations per invocation over the mean invocation time.</summary>
    public static MetricColumn Throughput(string unit) => new(unit + "/s", $"{unit} per second (operations per invocation / mean)", (summary, bc) =>
        Rate(summary, bc) is { } rate ? rate.ToString("N0", CultureInfo.InvariantCulture) : "-");

    /// <summary>This case's rate over the rate of <paramref name="method"/> with the same parameters.</summary>
    public static MetricColumn RatioTo(string method) => new("vs " + method, $"events/s as a multiple of {method}'s on the same bytes", (summary, bc) =>
    {
        var other = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == bc.Descriptor.Type && c.Descriptor.WorkloadMethod.Name == method && CaseKey.Parameters(c) == CaseKey.Parameters(bc));
        return other is not null && Rate(summary, bc) is { } mine && Rate(summary, other) is { } theirs
            ? (mine / theirs).ToString("0.00", CultureInfo.InvariantCulture) + "x"
            : "-";
    });

    /// <summary>The time the runtime was paused for collections per operation, as <see cref="BenchMetrics"/> records it for every benchmark.</summary>
    public static MetricColumn GcPause(string unit) =>
        Saved($"GC pause ns/{unit}", "gc_pause_ns_per_op", $"time the runtime was paused for collections, per {unit}, over all invocations");

    /// <summary>A figure saved by the benchmark, scaled and formatted.</summary>
    public static MetricColumn Saved(string name, string metric, string legend, double scale = 1, string format = "N0") => new(name, legend, (_, bc) =>
        BenchMetrics.Load(CaseKey.Benchmark(bc), CaseKey.Parameters(bc)).TryGetValue(metric, out var v)
            ? (v * scale).ToString(format, CultureInfo.InvariantCulture)
            : "-");

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => _value(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => _value(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static double? Rate(Summary summary, BenchmarkCase bc)
    {
        var mean = summary[bc]?.ResultStatistics?.Mean;
        var ops = BenchMetrics.Load(CaseKey.Benchmark(bc), CaseKey.Parameters(bc)).TryGetValue("ops", out var o) ? o : 0;
        return mean is > 0 && ops > 0 ? ops / (mean.Value / 1e9) : null;
    }
}
