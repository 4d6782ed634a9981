using System.Reactive.Concurrency;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>The one place where the simulator picks its defaults.</summary>
internal static class SimulatorDefaults
{
    /// <summary>The scheduler used when none is given: the Rx default scheduler.</summary>
    public static IScheduler Scheduler(IScheduler? given) => given ?? System.Reactive.Concurrency.Scheduler.Default;
}
