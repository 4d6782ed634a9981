using Obelus.Reactive.Client;

namespace Obelus.Reactive.Calls;

/// <summary>How an <see cref="IsolatingSubject{T}"/> reaches its observers (see <see cref="CallObserverThreading"/>).</summary>
internal sealed class ObserverDelivery(bool offload, int capacity, Func<WorkGauge?> gauge)
{
    /// <summary>On the publishing thread, unbounded: for operators folding on the caller's thread.</summary>
    public static readonly ObserverDelivery Inline = new(offload: false, int.MaxValue, static () => null);

    /// <summary>True: each observer is drained on the thread pool, one value at a time, in order.</summary>
    public bool Offload { get; } = offload;

    /// <summary>Most values queued for one offloaded observer before the publisher waits for it.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Observation point for tests: a publisher starts waiting for an observer over its bound.</summary>
    public Action? WaitStarted { get; set; }

    /// <summary>The virtual-time gauge to report offloaded deliveries to (in-memory simulator only).</summary>
    public WorkGauge? Gauge => gauge();

    public static ObserverDelivery For(CallManagerOptions options, Func<WorkGauge?> gauge) =>
        options.ObserverThreading == CallObserverThreading.Inline
            ? Inline
            : new ObserverDelivery(offload: true, options.MaxQueuedPerObserver, gauge);
}
