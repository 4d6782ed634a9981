using System.Threading.Channels;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// One <see cref="AmiClient.Events"/> subscription: its own bounded queue of (shared, immutable)
/// events and its own drain loop. A subscriber that blocks therefore holds up only itself, and
/// the read loop only once this queue is full under <see cref="AmiEventOverflow.Wait"/>.
/// </summary>
internal sealed class EventSubscriber
{
    private readonly AmiClient _owner;
    private readonly IObserver<AmiEvent> _observer;
    private readonly Channel<AmiEvent> _queue;
    private readonly int _capacity;
    private long _dropped;
    private long _dropsSeen;
    private volatile bool _unsubscribed;
    private volatile bool _closed;

    public EventSubscriber(AmiClient owner, long id, IObserver<AmiEvent> observer, int capacity, AmiEventOverflow overflow)
    {
        _owner = owner;
        Id = id;
        _observer = observer;
        _capacity = capacity;
        var options = new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,

            // The writer is the read loop: waking the drain loop must never run subscriber code there.
            AllowSynchronousContinuations = false,
            FullMode = overflow == AmiEventOverflow.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        _queue = Channel.CreateBounded<AmiEvent>(options, OnDropped);
    }

    /// <summary>Number of this subscription, for the log.</summary>
    public long Id { get; }

    /// <summary>Events waiting in this subscriber's queue.</summary>
    public int Count => _queue.Reader.Count;

    /// <summary>The drain loop; ends after completion (queue drained), unsubscription or a throw.</summary>
    public Task Drained { get; private set; } = Task.CompletedTask;

    public void Start() => Drained = Task.Run(DrainAsync);

    /// <summary>
    /// Queues <paramref name="evt"/> without waiting. False only when the queue is full under
    /// <see cref="AmiEventOverflow.Wait"/>; a closed queue (unsubscribed) takes nothing and says true.
    /// </summary>
    public bool TryWrite(AmiEvent evt) => _queue.Writer.TryWrite(evt) || _closed;

    /// <summary>Waits for room (backpressure); returns at once if the subscriber goes away meanwhile.</summary>
    public async ValueTask WriteAsync(AmiEvent evt, CancellationToken token)
    {
        try
        {
            await _queue.Writer.WriteAsync(evt, token).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Unsubscribed or client closing: nobody left to deliver to.
        }
    }

    /// <summary>The client closes: deliver what is queued, then <c>OnCompleted</c>.</summary>
    public void Complete()
    {
        _closed = true;
        _queue.Writer.TryComplete();
    }

    /// <summary>Unsubscribed: stop after the event being delivered, drop the rest, no <c>OnCompleted</c>.</summary>
    public void Cancel()
    {
        _unsubscribed = true;
        Complete();
    }

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                AmiClient.EnterDelivery(_owner);
                try
                {
                    while (!_unsubscribed && reader.TryRead(out var evt))
                    {
                        ReportDrops();
                        try
                        {
                            _observer.OnNext(evt);
                        }
                        catch (Exception ex)
                        {
                            // An observer that threw is in an unknown state (Rx's rule): it gets nothing more.
                            _owner.OnSubscriberThrew(this, ex);
                            return;
                        }
                    }
                }
                finally
                {
                    AmiClient.EnterDelivery(null);
                }

                if (_unsubscribed)
                {
                    return;
                }
            }

            // Unsubscribed while idle: the queue was completed empty, but this is no completion.
            if (_unsubscribed)
            {
                return;
            }

            ReportDrops();
            AmiClient.EnterDelivery(_owner);
            try
            {
                _observer.OnCompleted();
            }
            catch (Exception ex)
            {
                _owner.OnSubscriberThrew(this, ex);
            }
            finally
            {
                AmiClient.EnterDelivery(null);
            }
        }
        finally
        {
            _owner.OnSubscriberLoopEnded();
        }
    }

    /// <summary>After a loss, the running total goes out on EventDrops before this subscriber's next event.</summary>
    private void ReportDrops()
    {
        var dropped = Interlocked.Read(ref _dropped);
        if (dropped != _dropsSeen)
        {
            _dropsSeen = dropped;
            _owner.ReportDrops();
        }
    }

    /// <summary>Runs on the read loop (outside the queue's lock): count and log only, no user code.</summary>
    private void OnDropped(AmiEvent evt)
    {
        var dropped = Interlocked.Increment(ref _dropped);
        _owner.OnSubscriberDropped(this, dropped, _capacity);
    }
}
