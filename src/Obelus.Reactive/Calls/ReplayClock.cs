using System.Reactive.Concurrency;

namespace Obelus.Reactive.Calls;

/// <summary>
/// The clock of a capture replay. A capture has no timing, so the time between messages is made
/// up; timers must not fire on made-up time (a response "arriving" after 10 s only because many
/// messages came before it). So <see cref="Now"/> follows the messages (for timestamps), while
/// every timer is held until the capture has been read, then runs in the order it was due.
/// </summary>
internal sealed class ReplayClock : IScheduler
{
    private readonly HistoricalScheduler _timers;
    private DateTimeOffset _messageTime;
    private bool _ended;

    public ReplayClock(DateTimeOffset start)
    {
        _timers = new HistoricalScheduler(start);
        _messageTime = start;
    }

    public DateTimeOffset Now => _ended ? _timers.Now : _messageTime;

    /// <summary>The next message is read <paramref name="interval"/> later; no timer fires.</summary>
    public void NextMessage(TimeSpan interval) => _messageTime += interval;

    /// <summary>The capture is over: the held timers run, each at the later of its due time and the last message.</summary>
    public void RunHeldTimers()
    {
        _ended = true;
        _timers.AdvanceTo(_messageTime);
        _timers.Start();
    }

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
        _timers.Schedule(state, Now, (_, s) => action(this, s));

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
        _timers.Schedule(state, Now + Scheduler.Normalize(dueTime), (_, s) => action(this, s));

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        _timers.Schedule(state, dueTime, (_, s) => action(this, s));
}
