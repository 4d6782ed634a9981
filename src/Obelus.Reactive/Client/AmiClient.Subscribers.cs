using System.Reactive.Disposables;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    private readonly Lock _subscribersGate = new();
    private EventSubscriber[] _subscribers = [];
    private EventSubscriber[] _completedSubscribers = [];
    private bool _eventsCompleted;
    private long _subscriberIds;
    private int _subscriberLoops;

    /// <summary>Observation point for tests: Events subscriptions whose queue is still registered.</summary>
    internal int EventSubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Observation point for tests: drain loops of Events subscribers still running.</summary>
    internal int RunningSubscriberLoops => Volatile.Read(ref _subscriberLoops);

    /// <summary>Observation point for tests: a subscriber's drain loop just ended.</summary>
    internal Action? SubscriberLoopEnded { get; set; }

    /// <summary>Subscribing registers a queue and starts its drain loop; the read loop picks the queue up at its next write.</summary>
    private IDisposable SubscribeEvents(IObserver<AmiEvent> observer)
    {
        EventSubscriber subscriber;
        lock (_subscribersGate)
        {
            if (!_eventsCompleted)
            {
                subscriber = new EventSubscriber(this, ++_subscriberIds, observer, _options.EventBufferCapacity, _options.EventOverflow);
                Volatile.Write(ref _subscribers, [.. _subscribers, subscriber]);
                Interlocked.Increment(ref _subscriberLoops);
                subscriber.Start();
                return Disposable.Create(subscriber, Unsubscribe);
            }
        }

        observer.OnCompleted();
        return Disposable.Empty;
    }

    private void Unsubscribe(EventSubscriber subscriber)
    {
        lock (_subscribersGate)
        {
            var index = Array.IndexOf(_subscribers, subscriber);
            if (index >= 0)
            {
                Volatile.Write(ref _subscribers, [.. _subscribers.AsSpan(0, index), .. _subscribers.AsSpan(index + 1)]);
            }
        }

        // Also releases the read loop if it was waiting for room in this queue.
        subscriber.Cancel();
    }

    /// <summary>The client closes: every queue is completed; each subscriber gets OnCompleted once its queue is drained.</summary>
    private void CompleteEventSubscribers()
    {
        EventSubscriber[] subscribers;
        lock (_subscribersGate)
        {
            if (_eventsCompleted)
            {
                return;
            }

            _eventsCompleted = true;
            subscribers = _subscribers;
            Volatile.Write(ref _completedSubscribers, subscribers);
            Volatile.Write(ref _subscribers, []);
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }
    }

    /// <summary>Waits until every subscriber that was there at closing has drained its queue and been completed.</summary>
    private Task SubscribersDrainedAsync()
    {
        var subscribers = Volatile.Read(ref _completedSubscribers);
        return subscribers.Length == 0 ? Task.CompletedTask : Task.WhenAll(subscribers.Select(s => s.Drained));
    }

    /// <summary>
    /// Disposal gave up waiting: subscribers still behind lose what is left in their queues
    /// (counted as drops and logged) and are completed once their current handler returns.
    /// </summary>
    private void AbandonSlowSubscribers()
    {
        foreach (var subscriber in Volatile.Read(ref _completedSubscribers))
        {
            if (subscriber.Drained.IsCompleted)
            {
                continue;
            }

            var dropped = subscriber.Abandon();
            var total = Interlocked.Add(ref _eventsDropped, dropped);
            AmiClientLog.DisposeAbandonedSubscriber(_logger, subscriber.Id, _options.DisposeTimeout, dropped, total);
        }
    }

    /// <summary>Events of a batch an abandoned subscriber skipped: losses like the rest of its queue.</summary>
    internal void OnAbandonedBatch(int skipped) => Interlocked.Add(ref _eventsDropped, skipped);

    internal void OnSubscriberThrew(EventSubscriber subscriber, Exception error)
    {
        AmiClientLog.EventSubscriberThrew(_logger, subscriber.Id, error);
        Unsubscribe(subscriber);
    }

    internal void OnSubscriberLoopEnded()
    {
        Interlocked.Decrement(ref _subscriberLoops);
        SubscriberLoopEnded?.Invoke();
    }

    /// <summary>Runs on the read loop inside the subscriber queue's lock: counts a loss of one subscriber in the client's total and logs it (no user code).</summary>
    internal void OnSubscriberDropped(EventSubscriber subscriber, long droppedForSubscriber, int capacity)
    {
        var total = Interlocked.Increment(ref _eventsDropped);

        // One warning per power of two (per subscriber) keeps the log readable under a sustained overload.
        if ((droppedForSubscriber & (droppedForSubscriber - 1)) == 0)
        {
            AmiClientLog.SubscriberEventsDropped(_logger, subscriber.Id, droppedForSubscriber, total, capacity);
        }
    }
}
