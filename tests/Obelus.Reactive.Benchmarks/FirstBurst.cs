using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// <c>--first-burst calls|events</c>: the first 1 M-event burst of <see cref="CallsEndToEndBenchmarks"/>
/// in a fresh process with no harness around it, as an application meets it: no collection
/// forced before it but the setup's one, and the GC mode the process runs with (the runtime's
/// default is concurrent; this project sets non-concurrent, <c>DOTNET_gcConcurrent=1</c> gives
/// the default back). Prints the peak working set over the one after setup and the gen2
/// collections of the burst with the runtime's reason for each.
/// </summary>
public static class FirstBurst
{
    public const string Switch = "--first-burst";

    public static async Task RunAsync(string[] args)
    {
        var path = args.Length > 0 ? args[0] : "calls";
        if (path is not ("calls" or "events"))
        {
            throw new ArgumentException($"Unknown path '{path}': calls or events.", nameof(args));
        }

        var benchmark = new CallsEndToEndBenchmarks { Events = 1_000_000 };
        benchmark.Setup();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var idle = process.WorkingSet64;
        var gen2Before = GC.CollectionCount(2);
        long result;
        using (var listener = new Gen2Listener())
        {
            result = path == "calls" ? await benchmark.TrackedCalls() : await benchmark.EventsPath();
            process.Refresh();
            Console.WriteLine(
                $"// {path}: {result:N0} {(path == "calls" ? "calls ended" : "events")}, GC concurrent {System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.Batch}; " +
                $"working set after setup {idle >> 20} MB, peak {process.PeakWorkingSet64 >> 20} MB, " +
                $"peak over idle {(process.PeakWorkingSet64 - idle) >> 20} MB; " +
                $"gen2 collections {GC.CollectionCount(2) - gen2Before}: {string.Join(", ", listener.Reasons)}");
        }
    }

    /// <summary>The reason the runtime gives for each gen2 collection (GCStart events, keyword GC).</summary>
    private sealed class Gen2Listener : EventListener
    {
        private readonly List<string> _reasons = [];

        public IReadOnlyList<string> Reasons
        {
            get
            {
                lock (_reasons)
                {
                    return [.. _reasons];
                }
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName != "GCStart_V2" || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
            {
                return;
            }

            if (Convert.ToInt32(payload[names.IndexOf("Depth")], System.Globalization.CultureInfo.InvariantCulture) == 2)
            {
                // Reason 0 is an allocation over budget, 1 an induced collection (GC.Collect).
                var reason = Convert.ToInt32(payload[names.IndexOf("Reason")], System.Globalization.CultureInfo.InvariantCulture) switch
                {
                    0 => "allocation",
                    1 => "induced",
                    var other => "reason " + other,
                };
                lock (_reasons)
                {
                    _reasons.Add(reason);
                }
            }
        }
    }
}
