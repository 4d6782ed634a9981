using Microsoft.Reactive.Testing;

namespace Obelus.Reactive.Tests.Client;

/// <summary>
/// A <see cref="TestScheduler"/> that the client may schedule on from its own threads while the
/// test advances the clock.
/// </summary>
/// <remarks>
/// The client sets and cancels timers from its read loop and from the continuations of its
/// connection attempts, on the thread pool, while a test thread advances virtual time. The base
/// scheduler keeps its timers in a priority queue with no lock, so one timer added as another ran
/// could be lost and the test would wait for it in vain. Here adding, finding the next timer and
/// advancing take one lock. A timer runs with the lock held, on the advancing thread, as before; the
/// client never waits inside a timer for another thread that would need the lock.
/// </remarks>
internal sealed class ThreadSafeTestScheduler : TestScheduler
{
    private readonly object _gate = new();

    public override IDisposable ScheduleAbsolute<TState>(TState state, long dueTime, Func<System.Reactive.Concurrency.IScheduler, TState, IDisposable> action)
    {
        lock (_gate)
        {
            return base.ScheduleAbsolute(state, dueTime, action);
        }
    }

    public new void AdvanceBy(long time)
    {
        lock (_gate)
        {
            base.AdvanceBy(time);
        }
    }

    public new void AdvanceTo(long time)
    {
        lock (_gate)
        {
            base.AdvanceTo(time);
        }
    }

    protected override System.Reactive.Concurrency.IScheduledItem<long>? GetNext()
    {
        lock (_gate)
        {
            return base.GetNext();
        }
    }
}
