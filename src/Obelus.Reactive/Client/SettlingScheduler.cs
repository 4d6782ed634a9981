using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Obelus.Reactive.Client;

/// <summary>
/// A scheduler whose items wait, before and after they run, until the client and the in-memory
/// simulator it talks to have nothing in flight (see <see cref="WorkGauge"/>). Without a gauge
/// (any real connection) it hands every call straight to the scheduler it wraps.
/// </summary>
internal sealed class SettlingScheduler(IScheduler inner, Func<WorkGauge?> gauge) : IScheduler
{
    public DateTimeOffset Now => inner.Now;

    /// <summary>The scheduler this one wraps.</summary>
    public IScheduler Inner => inner;

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
        gauge() is { } g ? inner.Schedule((g, state, action), Settled) : inner.Schedule(state, action);

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
        gauge() is { } g ? inner.Schedule((g, state, action), dueTime, Settled) : inner.Schedule(state, dueTime, action);

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        gauge() is { } g ? inner.Schedule((g, state, action), dueTime, Settled) : inner.Schedule(state, dueTime, action);

    private IDisposable Settled<TState>(IScheduler self, (WorkGauge Gauge, TState State, Func<IScheduler, TState, IDisposable> Action) item)
    {
        // Before: whatever an earlier item set going has reached its end at this virtual time.
        // After: what this item sent is taken in before the clock moves on.
        item.Gauge.WaitIdle();
        IDisposable result;
        try
        {
            result = item.Action(this, item.State);
        }
        finally
        {
            item.Gauge.WaitIdle();
        }

        return result ?? Disposable.Empty;
    }
}
