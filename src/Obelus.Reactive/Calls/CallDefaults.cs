using System.Reactive.Concurrency;

namespace Obelus.Reactive.Calls;

/// <summary>The one place the call layer picks its default scheduler.</summary>
internal static class CallDefaults
{
    /// <summary>Timers and timestamps when no scheduler is given.</summary>
    public static IScheduler Scheduler => DefaultScheduler.Instance;
}
