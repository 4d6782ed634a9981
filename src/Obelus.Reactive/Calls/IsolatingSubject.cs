using System.Reactive;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Calls;

/// <summary>
/// A subject for what the call layer hands out: each observer has its own queue, so an observer
/// that throws is logged and detached without the others missing or waiting for anything, and no
/// user code ever runs under the subject's lock. Optionally replays the latest value to a new
/// observer, in order with everything published after it.
/// </summary>
/// <remarks>
/// Values are queued to every observer under the lock (that fixes one order for all of them),
/// then each queue is drained outside it, by whichever thread finds it idle: usually the
/// publishing thread, so delivery stays synchronous; a thread that finds another one delivering
/// to that observer leaves the value to it instead of waiting.
/// </remarks>
internal sealed class IsolatingSubject<T> : IObservable<T>
{
    private readonly Lock _gate = new();
    private readonly bool _replayLatest;
    private readonly ILogger _logger;
    private readonly ObserverDelivery _delivery;
    private Sink[] _sinks = [];
    private Notification<T>? _latest;
    private Notification<T>? _terminal;

    public IsolatingSubject(bool replayLatest, ILogger? logger = null, ObserverDelivery? delivery = null)
    {
        _replayLatest = replayLatest;
        _logger = logger ?? NullLogger.Instance;
        _delivery = delivery ?? ObserverDelivery.Inline;
    }

    public IDisposable Subscribe(IObserver<T> observer)
    {
        var (subscription, deliver) = SubscribeDeferred(observer, []);
        deliver();
        return subscription;
    }

    /// <summary>
    /// Subscribes <paramref name="observer"/> with <paramref name="first"/> queued ahead of
    /// everything published later; nothing is delivered until <c>Deliver</c> is called, so a
    /// caller can take this inside its own lock (to make <paramref name="first"/> and the later
    /// values one sequence) and deliver after leaving it.
    /// </summary>
    public (IDisposable Subscription, Action Deliver) SubscribeDeferred(IObserver<T> observer, IEnumerable<T> first)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = new Sink(this, observer);
        lock (_gate)
        {
            foreach (var value in first)
            {
                sink.Enqueue(Notification.CreateOnNext(value));
            }

            if (_latest is { } latest)
            {
                sink.Enqueue(latest);
            }

            if (_terminal is { } terminal)
            {
                sink.Enqueue(terminal);
            }
            else
            {
                _sinks = [.. _sinks, sink];
            }
        }

        return (sink, sink.Deliver);
    }

    public void OnNext(T value) => Publish(Notification.CreateOnNext(value));

    /// <summary>Queues <paramref name="value"/> for every observer; the returned action delivers it (call it outside your locks).</summary>
    public Action OnNextDeferred(T value)
    {
        var sinks = Enqueue(Notification.CreateOnNext(value));
        return () => Drain(sinks);
    }

    public void OnCompleted() => Publish(Notification.CreateOnCompleted<T>());

    public void OnError(Exception error) => Publish(Notification.CreateOnError<T>(error));

    private void Publish(Notification<T> notification) => Drain(Enqueue(notification));

    private static void Drain(Sink[] sinks)
    {
        foreach (var sink in sinks)
        {
            sink.Deliver();
        }

        // Offloaded: a queue over its bound makes the publisher (the fold) wait for that observer,
        // after every queue got the value, so memory stays bounded and nothing is dropped.
        foreach (var sink in sinks)
        {
            sink.WaitForRoom();
        }
    }

    private Sink[] Enqueue(Notification<T> notification)
    {
        Sink[] sinks;
        lock (_gate)
        {
            if (_terminal is not null)
            {
                return [];
            }

            if (notification.Kind == NotificationKind.OnNext)
            {
                if (_replayLatest)
                {
                    _latest = notification;
                }
            }
            else
            {
                _terminal = notification;
            }

            sinks = _sinks;
            foreach (var sink in sinks)
            {
                sink.Enqueue(notification);
            }

            if (_terminal is not null)
            {
                _sinks = [];
            }
        }

        return sinks;
    }

    private void Remove(Sink sink)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_sinks, sink);
            if (index >= 0)
            {
                _sinks = [.. _sinks.AsSpan(0, index), .. _sinks.AsSpan(index + 1)];
            }
        }
    }

    private sealed class Sink(IsolatingSubject<T> parent, IObserver<T> observer) : IDisposable
    {
        // An object, not a Lock: a publisher over the bound waits on it (Monitor.Wait).
        private readonly object _gate = new();
        private readonly Queue<Notification<T>> _queue = new();
        private bool _draining;
        private bool _scheduled;
        private bool _stopped;
        private int _waitingForRoom;

        public void Enqueue(Notification<T> notification)
        {
            lock (_gate)
            {
                if (!_stopped)
                {
                    _queue.Enqueue(notification);
                }
            }
        }

        /// <summary>Delivers what is queued: here (inline), or on the thread pool (offloaded).</summary>
        public void Deliver()
        {
            var delivery = parent._delivery;
            if (!delivery.Offload)
            {
                Drain();
                return;
            }

            lock (_gate)
            {
                if (_scheduled || _draining || _stopped || _queue.Count == 0)
                {
                    return;
                }

                _scheduled = true;
            }

            Schedule(delivery.Gauge);
        }

        /// <summary>Blocks while more than the bound is queued for this (offloaded) observer.</summary>
        public void WaitForRoom()
        {
            var delivery = parent._delivery;
            if (!delivery.Offload)
            {
                return;
            }

            lock (_gate)
            {
                if (_stopped || _queue.Count <= delivery.Capacity)
                {
                    return;
                }
            }

            delivery.WaitStarted?.Invoke();
            lock (_gate)
            {
                while (!_stopped && _queue.Count > delivery.Capacity)
                {
                    _waitingForRoom++;
                    Monitor.Wait(_gate);
                    _waitingForRoom--;
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stopped = true;
                _queue.Clear();
                Monitor.PulseAll(_gate);
            }

            parent.Remove(this);
        }

        private void Schedule(WorkGauge? gauge)
        {
            // Counted as in flight until the lane has run, so virtual time waits for it.
            gauge?.EnterContinuation();
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Sink.RunLane(state.Gauge), (Sink: this, Gauge: gauge), preferLocal: false);
        }

        private void RunLane(WorkGauge? gauge)
        {
            WorkGauge.EnterInFlight();
            try
            {
                Drain();
            }
            finally
            {
                WorkGauge.ExitInFlight();
                bool more;
                lock (_gate)
                {
                    more = !_stopped && _queue.Count > 0 && !_draining;
                    _scheduled = more;
                }

                // Something queued after the drain looked: go round again (entering before leaving
                // keeps the gauge from seeing a false idle moment).
                if (more)
                {
                    Schedule(gauge);
                }

                gauge?.ExitContinuation();
            }
        }

        private void Drain()
        {
            while (true)
            {
                Notification<T> next;
                lock (_gate)
                {
                    if (_draining || _stopped)
                    {
                        return;
                    }

                    if (!_queue.TryDequeue(out next!))
                    {
                        return;
                    }

                    _draining = true;
                    if (_waitingForRoom > 0)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }

                try
                {
                    next.Accept(observer);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // This observer is broken: detach it; the others never notice.
                    CallLog.ObserverThrew(parent._logger, ex);
                    Dispose();
                }
                finally
                {
                    lock (_gate)
                    {
                        _draining = false;
                    }
                }
            }
        }
    }
}
