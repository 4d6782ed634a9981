using System.Reactive.Disposables;
using Microsoft.Reactive.Testing;

namespace Obelus.Reactive.Tests.Calls;

internal static class TestSchedulerExtensions
{
    /// <summary>Runs <paramref name="action"/> at virtual time <paramref name="time"/>.</summary>
    public static void At(this TestScheduler scheduler, long time, Action action) =>
        scheduler.ScheduleAbsolute<object?>(null, time, (_, _) =>
        {
            action();
            return Disposable.Empty;
        });
}
