using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Client;

/// <summary>
/// Tells when a client and an in-memory simulator have nothing left in flight: no bytes unread
/// in either direction, no event queued for a subscriber, no response waiting for the code that
/// continues from it. Virtual-time timers wait for that before they run (see
/// <see cref="SettlingScheduler"/>), so one jump of a <c>TestScheduler</c> gives the same result
/// as many small steps, whatever the threads do meanwhile.
/// </summary>
/// <remarks>
/// Probes are asked one after another, so work can move from one not yet asked to one already
/// asked. Every probe therefore <see cref="Touch"/>es after it becomes idle, and a scan counts
/// only when no touch happened during it.
/// </remarks>
internal sealed class WorkGauge
{
    // Work in flight running on this thread (an event delivery, a counted continuation): a wait
    // here would wait for itself, so none happens.
    [ThreadStatic]
    private static int t_inFlight;

    private readonly Lock _gate = new();
    private readonly object _signal = new();
    private int _waiters;
    private readonly ILogger? _logger;
    private IIdleProbe[] _probes = [];
    private long _version;
    private int _continuations;

    /// <param name="timeout">Longest wait for idleness; zero turns waiting off.</param>
    /// <param name="logger">Told when a wait gives up (user code blocking an event thread, usually).</param>
    public WorkGauge(TimeSpan timeout, ILogger? logger = null)
    {
        Timeout = timeout;
        _logger = logger;
    }

    /// <summary>Longest time <see cref="WaitIdle"/> waits; zero means it never waits.</summary>
    public TimeSpan Timeout { get; }

    public void Add(IIdleProbe probe)
    {
        lock (_gate)
        {
            if (Array.IndexOf(_probes, probe) < 0)
            {
                _probes = [.. _probes, probe];
            }
        }

        Touch();
    }

    public void Remove(IIdleProbe probe)
    {
        lock (_gate)
        {
            _probes = Array.FindAll(_probes, p => !ReferenceEquals(p, probe));
        }

        Touch();
    }

    /// <summary>A response was handed to code that continues on another thread: busy until <see cref="ExitContinuation"/>.</summary>
    public void EnterContinuation() => Interlocked.Increment(ref _continuations);

    public void ExitContinuation()
    {
        Interlocked.Decrement(ref _continuations);
        Touch();
    }

    /// <summary>The current thread starts running work in flight (see <see cref="WaitIdle"/>).</summary>
    public static void EnterInFlight() => t_inFlight++;

    public static void ExitInFlight() => t_inFlight--;

    /// <summary>
    /// After a write from outside the work in flight (a test's own thread, a timer): the answer is
    /// taken in at the same virtual time, before the caller can move the clock.
    /// </summary>
    public void SettleAfterWrite()
    {
        if (t_inFlight == 0)
        {
            WaitIdle();
        }
    }

    /// <summary>Something may have become idle: a waiting scan must look again.</summary>
    public void Touch()
    {
        Interlocked.Increment(ref _version);
        if (Volatile.Read(ref _waiters) > 0)
        {
            lock (_signal)
            {
                Monitor.PulseAll(_signal);
            }
        }
    }

    /// <summary>
    /// Blocks until every probe is idle at once, or <see cref="Timeout"/> has passed (then
    /// logs it and returns false, so a blocked observer slows a test down instead of hanging it).
    /// </summary>
    public bool WaitIdle()
    {
        if (Timeout <= TimeSpan.Zero || t_inFlight > 0)
        {
            return true;
        }

        var deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
        while (true)
        {
            var before = Interlocked.Read(ref _version);
            if (IsIdleNow() && Interlocked.Read(ref _version) == before)
            {
                return true;
            }

            var left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                if (_logger is not null)
                {
                    AmiClientLog.SettleTimedOut(_logger, Timeout, DescribeBusy());
                }

                return false;
            }

            lock (_signal)
            {
                // Checked under the lock a toucher pulses under: no touch can slip in unseen.
                Interlocked.Increment(ref _waiters);
                if (Interlocked.Read(ref _version) == before)
                {
                    Monitor.Wait(_signal, (int)Math.Min(left, 100));
                }

                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    /// <summary>What was still busy when a wait gave up, for the log.</summary>
    private string DescribeBusy()
    {
        var busy = Array.FindAll(Volatile.Read(ref _probes), p => !p.IsIdle);
        var names = string.Join(", ", Array.ConvertAll(busy, p => p is AmiClient ? "an Events subscriber of a client" : "an in-memory connection"));
        var continuations = Volatile.Read(ref _continuations);
        return continuations > 0 ? $"{names}{(names.Length > 0 ? ", " : string.Empty)}{continuations} response(s) or call observer(s) not done" : names;
    }

    private bool IsIdleNow()
    {
        if (Volatile.Read(ref _continuations) != 0)
        {
            return false;
        }

        foreach (var probe in Volatile.Read(ref _probes))
        {
            if (!probe.IsIdle)
            {
                return false;
            }
        }

        return true;
    }
}
