using System.Reactive.Concurrency;

namespace Obelus.Reactive.Client;

/// <summary>The one place that picks the scheduler used when none is injected.</summary>
internal static class AmiSchedulerDefaults
{
    /// <summary>Timers (action timeouts, keep-alive, backoff): the thread pool's timer queue.</summary>
    public static IScheduler Timers => DefaultScheduler.Instance;
}
