using System.Runtime.CompilerServices;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// One <see cref="AmiClient.Events"/> subscription: its own bounded queue of (shared, immutable)
/// events and its own drain loop. A subscriber that blocks therefore holds up only itself, and
/// the read loop only once this queue is full under <see cref="AmiEventOverflow.Wait"/>.
/// </summary>
/// <remarks>
/// The read loop writes the events of one socket read under one lock, and the drain loop takes
/// up to <see cref="TakeLimit"/> events under one lock, then delivers them outside it: the two
/// threads meet on the lock once per batch, not once per event each. Capacity, drops and
/// backpressure still count single events in the queue; the batch being delivered is no longer
/// queued, so a subscriber holds at most its capacity plus <see cref="TakeLimit"/> events.
/// </remarks>
internal sealed class EventSubscriber
{
    /// <summary>Most events the drain loop takes out of the queue at a time.</summary>
    public const int TakeLimit = 64;

    private readonly AmiClient _owner;
    private readonly IObserver<AmiEvent> _observer;
    private readonly int _capacity;
    private readonly bool _dropOldest;
    private readonly Lock _gate = new();
    private readonly Queue<AmiEvent> _queue = new();

    // Guarded by _gate.
    private long _dropped;
    private bool _closed;
    private TaskCompletionSource? _drainWaiting;
    private TaskCompletionSource? _writerWaiting;

    private volatile bool _unsubscribed;
    private volatile bool _abandoned;
    private volatile bool _ended;
    private long _dropsSeen;

    private readonly Action<long>? _onGap;

    public EventSubscriber(AmiClient owner, long id, IObserver<AmiEvent> observer, int capacity, AmiEventOverflow overflow, Action<long>? onGap = null)
    {
        _owner = owner;
        _onGap = onGap;
        Id = id;
        _observer = observer;
        _capacity = capacity;
        _dropOldest = overflow == AmiEventOverflow.DropOldest;
    }

    /// <summary>Number of this subscription, for the log.</summary>
    public long Id { get; }

    /// <summary>Events waiting in this subscriber's queue (not those taken for delivery).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// True when the drain loop has delivered everything it was given and waits for more, or has
    /// ended (see <see cref="WorkGauge"/>).
    /// </summary>
    public bool IsIdle
    {
        get
        {
            if (_ended)
            {
                return true;
            }

            lock (_gate)
            {
                return _unsubscribed || (_queue.Count == 0 && _drainWaiting is not null);
            }
        }
    }

    /// <summary>The drain loop; ends after completion (queue drained), unsubscription or a throw.</summary>
    public Task Drained { get; private set; } = Task.CompletedTask;

    public void Start() => Drained = Task.Run(DrainAsync);

    /// <summary>
    /// Queues <paramref name="events"/> from <paramref name="next"/> on, in order, without
    /// waiting, and advances <paramref name="next"/> past what it took. Stops early only when
    /// the queue is full under <see cref="AmiEventOverflow.Wait"/>; a closed queue
    /// (unsubscribed) takes everything and keeps nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TryWrite(List<AmiEvent> events, ref int next)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_closed)
            {
                next = events.Count;
                return;
            }

            for (; next < events.Count; next++)
            {
                if (_queue.Count >= _capacity)
                {
                    if (!_dropOldest)
                    {
                        break;
                    }

                    // Counted in the client's total inside the lock, so the drain loop never sees
                    // this subscriber's loss before the total that EventDrops reports.
                    _queue.Dequeue();
                    _owner.OnSubscriberDropped(this, ++_dropped, _capacity);
                }

                _queue.Enqueue(events[next]);
            }

            wake = _queue.Count > 0 ? _drainWaiting : null;
            if (wake is not null)
            {
                _drainWaiting = null;
            }
        }

        wake?.TrySetResult();
    }

    /// <summary>Waits until the queue has room (backpressure), or the subscriber goes away.</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken token)
    {
        Task waiting;
        lock (_gate)
        {
            if (_closed || _queue.Count < _capacity)
            {
                return;
            }

            // The drain loop completes it after its next take; asynchronously, so the read loop never runs on the drain loop's thread.
            _writerWaiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = _writerWaiting.Task;
        }

        await waiting.WaitAsync(token).ConfigureAwait(false);
    }

    /// <summary>The client closes: deliver what is queued, then <c>OnCompleted</c>.</summary>
    public void Complete()
    {
        TaskCompletionSource? drain;
        TaskCompletionSource? writer;
        lock (_gate)
        {
            _closed = true;
            if (_unsubscribed)
            {
                _queue.Clear();
            }

            (drain, _drainWaiting) = (_drainWaiting, null);
            (writer, _writerWaiting) = (_writerWaiting, null);
        }

        drain?.TrySetResult();
        writer?.TrySetResult();
    }

    /// <summary>
    /// Disposal stopped waiting for this subscriber: its queue is dropped now, the rest of the
    /// batch being delivered after the current event, then <c>OnCompleted</c>. Returns the
    /// number of events dropped from the queue (the batch's rest is counted when it is skipped).
    /// </summary>
    public int Abandon()
    {
        int dropped;
        TaskCompletionSource? drain;
        lock (_gate)
        {
            _abandoned = true;
            _closed = true;
            dropped = _queue.Count;
            _queue.Clear();
            (drain, _drainWaiting) = (_drainWaiting, null);
        }

        drain?.TrySetResult();
        return dropped;
    }

    /// <summary>Unsubscribed: stop after the event being delivered, drop the rest, no <c>OnCompleted</c>.</summary>
    public void Cancel()
    {
        _unsubscribed = true;
        Complete();
    }

    private async Task DrainAsync()
    {
        var taken = new AmiEvent[TakeLimit];
        long dropped;
        try
        {
            while (true)
            {
                var count = Take(taken, out var waitForMore, out dropped);
                if (count == 0)
                {
                    if (waitForMore is null)
                    {
                        break;
                    }

                    // Everything given so far is delivered: a settling virtual clock may go on.
                    _owner.Gauge?.Touch();
                    await waitForMore.ConfigureAwait(false);
                    continue;
                }

                if (!Deliver(taken, count, dropped))
                {
                    return;
                }
            }

            // Unsubscribed while idle: the queue was completed empty, but this is no completion.
            if (_unsubscribed)
            {
                return;
            }

            // The last take saw the queue closed and drained: its drop count is final.
            ReportDrops(dropped);
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
            _ended = true;
            _owner.Gauge?.Touch();
            _owner.OnSubscriberLoopEnded();
        }
    }

    /// <summary>
    /// Moves up to <see cref="TakeLimit"/> queued events into <paramref name="taken"/>. With
    /// none queued: <paramref name="waitForMore"/> is what to wait for, or null when the queue is
    /// closed (or unsubscribed) and drained.
    /// </summary>
    private int Take(AmiEvent[] taken, out Task? waitForMore, out long dropped)
    {
        TaskCompletionSource? writer;
        int count;
        lock (_gate)
        {
            dropped = _dropped;
            waitForMore = null;
            count = 0;
            if (_unsubscribed)
            {
                return 0;
            }

            while (count < taken.Length && _queue.TryDequeue(out var evt))
            {
                taken[count++] = evt;
            }

            if (count == 0)
            {
                if (!_closed)
                {
                    _drainWaiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    waitForMore = _drainWaiting.Task;
                }

                return 0;
            }

            (writer, _writerWaiting) = (_writerWaiting, null);
        }

        writer?.TrySetResult();
        return count;
    }

    /// <summary>Delivers a taken batch; false when the loop must end (unsubscribed, or the observer threw).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Deliver(AmiEvent[] taken, int count, long dropped)
    {
        AmiClient.EnterDelivery(_owner);
        try
        {
            ReportDrops(dropped);
            for (var i = 0; i < count; i++)
            {
                var evt = taken[i];
                taken[i] = null!;
                if (_unsubscribed)
                {
                    Array.Clear(taken, i, count - i);
                    return false;
                }

                if (_abandoned)
                {
                    // Disposal gave up on this subscriber: skip the rest and go on to completion.
                    _owner.OnAbandonedBatch(count - i);
                    Array.Clear(taken, i, count - i);
                    return true;
                }

                try
                {
                    _observer.OnNext(evt);
                }
                catch (Exception ex)
                {
                    // An observer that threw is in an unknown state (Rx's rule): it gets nothing more.
                    Array.Clear(taken, i, count - i);
                    _owner.OnSubscriberThrew(this, ex);
                    return false;
                }
            }

            return true;
        }
        finally
        {
            AmiClient.EnterDelivery(null);
        }
    }

    /// <summary>After a loss, the running total goes out on EventDrops before this subscriber's next event.</summary>
    private void ReportDrops(long dropped)
    {
        if (dropped != _dropsSeen)
        {
            var lost = dropped - _dropsSeen;
            _dropsSeen = dropped;
            _owner.ReportDrops();

            // The subscriber hears of its own gap in its stream, before the next event after it.
            _onGap?.Invoke(lost);
        }
    }
}
