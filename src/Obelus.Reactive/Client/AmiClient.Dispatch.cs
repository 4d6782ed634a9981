using System.Threading.Channels;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    [ThreadStatic]
    private static AmiClient? t_dispatching;

    private long _dropsReported;

    /// <summary>True on the dispatcher while it runs subscriber code of this client.</summary>
    private bool OnDispatcher => ReferenceEquals(t_dispatching, this);

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

    /// <summary>Runs on the read loop (outside the channel's lock): count and log only, no user code.</summary>
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
    /// The single consumer of the buffer: delivers events and protocol errors to subscribers in
    /// order, each subscriber fenced on its own, then completes the observables when the buffer
    /// is closed (and drained).
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
                    switch (item)
                    {
                        case AmiEvent evt:
                            _events.OnNext(evt);
                            break;
                        case AmiProtocolException error:
                            _protocolErrors.OnNext(error);
                            break;
                    }
                }
            }
            finally
            {
                t_dispatching = null;
            }
        }

        ReportDrops();
        _events.OnCompleted();
        _protocolErrors.OnCompleted();
        _drops.OnCompleted();
    }

    private void ReportDrops()
    {
        var dropped = Interlocked.Read(ref _eventsDropped);
        if (dropped != _dropsReported)
        {
            _dropsReported = dropped;
            _drops.OnNext(dropped);
        }
    }
}
