using System.Reactive.Concurrency;

namespace Obelus.Reactive.Client;

/// <summary>
/// Caps one kind of warning a server can provoke at will (protocol errors, answers nobody
/// asked for) at a number per minute of the client's clock, and counts what it holds back, so a
/// flood of bad input cannot flood the log.
/// </summary>
internal sealed class LogThrottle
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly IScheduler _clock;
    private readonly int _perWindow;
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _logged;
    private long _suppressed;

    public LogThrottle(IScheduler clock, int perWindow)
    {
        _clock = clock;
        _perWindow = perWindow;
    }

    /// <summary>
    /// True when this occurrence may be logged; <paramref name="suppressed"/> is then the number
    /// held back since the last one logged. <paramref name="startsSuppressing"/> is true for the
    /// first occurrence held back in a minute (worth one line saying so).
    /// </summary>
    public bool TryEnter(out long suppressed, out bool startsSuppressing)
    {
        lock (_gate)
        {
            var now = _clock.Now;
            if (now - _windowStart >= Window || now < _windowStart)
            {
                _windowStart = now;
                _logged = 0;
            }

            if (_logged < _perWindow)
            {
                _logged++;
                suppressed = _suppressed;
                _suppressed = 0;
                startsSuppressing = false;
                return true;
            }

            startsSuppressing = _logged == _perWindow;
            if (startsSuppressing)
            {
                _logged++; // the notice is given once per minute
            }

            _suppressed++;
            suppressed = 0;
            return false;
        }
    }
}
