using System.IO.Pipelines;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient : IIdleProbe
{
    private WorkGauge? _gauge;

    /// <summary>The gauge of the in-memory simulator this client talks to in virtual time, else null.</summary>
    internal WorkGauge? Gauge => Volatile.Read(ref _gauge);

    /// <summary>Idle when every Events subscriber has delivered all it was given.</summary>
    bool IIdleProbe.IsIdle
    {
        get
        {
            foreach (var subscriber in Volatile.Read(ref _subscribers))
            {
                if (!subscriber.IsIdle)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>A session over an in-memory simulator's pipe: report this client's work to its gauge.</summary>
    private void FollowGauge(IDuplexPipe pipe)
    {
        if (pipe is not ISettlingPipe settling)
        {
            return;
        }

        var gauge = settling.Follow();
        var previous = Interlocked.Exchange(ref _gauge, gauge);
        if (!ReferenceEquals(previous, gauge))
        {
            previous?.Remove(this);
            gauge.Add(this);
        }
    }

    /// <summary>The client is closed: its gauge no longer waits for it.</summary>
    private void LeaveGauge() => Interlocked.Exchange(ref _gauge, null)?.Remove(this);
}
