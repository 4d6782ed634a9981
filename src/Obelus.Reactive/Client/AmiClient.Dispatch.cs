using System.Threading.Channels;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    [ThreadStatic]
    private static AmiClient? t_dispatching;

    private readonly Lock _dropsGate = new();
    private long _dropsReported;

    /// <summary>True on the dispatcher or a subscriber's drain loop while it runs subscriber code of this client.</summary>
    private bool OnDispatcher => ReferenceEquals(t_dispatching, this);

    /// <summary>Marks the current thread as running subscriber code of <paramref name="client"/> (null: no longer).</summary>
    internal static void EnterDelivery(AmiClient? client)
    {
        t_dispatching = client;
        if (client is null)
        {
            WorkGauge.ExitInFlight();
        }
        else
        {
            WorkGauge.EnterInFlight();
        }
    }

    private Channel<object> CreateDispatchChannel()
    {
        var options = new BoundedChannelOptions(_options.EventBufferCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
            FullMode = _options.EventOverflow == AmiEventOverflow.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        return Channel.CreateBounded<object>(options, OnItemDropped);
    }

    /// <summary>Runs on the read loop (outside the channel's lock): count and log only, no user code. Events have their own queues (<see cref="EventSubscriber"/>).</summary>
    private void OnItemDropped(object item)
    {
        var dropped = Interlocked.Increment(ref _eventsDropped);

        // One warning per power of two keeps the log readable under a sustained overload.
        if ((dropped & (dropped - 1)) == 0)
        {
            AmiClientLog.EventsDropped(_logger, dropped, _options.EventBufferCapacity);
        }
    }

    /// <summary>
    /// The single consumer of the shared buffer: delivers protocol errors in order, each
    /// subscriber fenced on its own; once the buffer is closed (and drained) and every Events
    /// subscriber has drained its own queue, reports the last drop total and completes the
    /// observables.
    /// </summary>
    private async Task DispatchLoopAsync()
    {
        var reader = _dispatch.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            t_dispatching = this;
            try
            {
                while (reader.TryRead(out var item))
                {
                    ReportDrops();
                    if (item is AmiProtocolException error)
                    {
                        _protocolErrors.OnNext(error);
                    }
                }
            }
            finally
            {
                t_dispatching = null;
            }
        }

        await SubscribersDrainedAsync().ConfigureAwait(false);
        ReportDrops();
        _protocolErrors.OnCompleted();

        // A drain loop unsubscribed before closing may still be reporting; keep EventDrops serialised.
        lock (_dropsGate)
        {
            _drops.OnCompleted();
        }
    }

    /// <summary>
    /// Publishes the running drop total on <see cref="EventDrops"/> if it grew. Called by the
    /// dispatcher and by the drain loops, so serialised; taken only after a loss.
    /// </summary>
    internal void ReportDrops()
    {
        if (Interlocked.Read(ref _eventsDropped) == Volatile.Read(ref _dropsReported))
        {
            return;
        }

        lock (_dropsGate)
        {
            var dropped = Interlocked.Read(ref _eventsDropped);
            if (dropped > _dropsReported)
            {
                Volatile.Write(ref _dropsReported, dropped);
                _drops.OnNext(dropped);
            }
        }
    }
}
