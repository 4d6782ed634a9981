using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// Runs a <see cref="CallTracker"/> for many threads: every input (event, Originate result,
/// timer) is queued, and whichever thread finds the queue idle drains it, one input at a time,
/// then hands the resulting states to the <see cref="Call"/> objects. The fold stays
/// single-threaded; inputs posted while draining (also from inside a user's observer) simply
/// wait their turn, so nothing deadlocks and nothing runs re-entrantly.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The subject is completed by Close/FailAll; it holds no unmanaged resource.")]
internal sealed class CallEngine
{
    private readonly object _queueGate = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly object _callsGate = new();
    private readonly Dictionary<long, Call> _calls = [];
    private readonly Dictionary<(long Serial, CallTimerKind Kind), IDisposable> _timers = [];
    private readonly IsolatingSubject<Call> _newCalls;
    private readonly IsolatingSubject<Call> _allCalls;
    private readonly Func<Call, object?>? _userStateFactory;
    private readonly CallTracker _tracker;
    private readonly IScheduler _scheduler;
    private readonly ILogger _logger;
    private bool _draining;
    private bool _closed;

    public CallEngine(CallTrackerSettings settings, IScheduler scheduler, ILogger logger, bool trackIncoming, Func<Call, object?>? userStateFactory = null, ObserverDelivery? delivery = null)
    {
        _userStateFactory = userStateFactory;
        Delivery = delivery ?? ObserverDelivery.Inline;
        _allCalls = new IsolatingSubject<Call>(replayLatest: false, logger, Delivery);
        _scheduler = scheduler;
        _logger = logger;
        _tracker = new CallTracker(settings, logger) { TrackIncoming = trackIncoming };
        _newCalls = new IsolatingSubject<Call>(replayLatest: false, logger, Delivery);
        NewCalls = _newCalls;
    }

    /// <summary>How the calls' observers are reached.</summary>
    public ObserverDelivery Delivery { get; }

    /// <summary>Calls the fold discovered (incoming, or bound by an unknown tracking value), each once, with its first state already set.</summary>
    public IObservable<Call> NewCalls { get; }

    /// <summary>
    /// Live calls first, then every call as it starts: the snapshot and the subscription are taken
    /// under the lock that adds calls, so none is missed or repeated.
    /// </summary>
    public IDisposable SubscribeAllCalls(IObserver<Call> observer)
    {
        IDisposable subscription;
        Action deliver;
        lock (_callsGate)
        {
            (subscription, deliver) = _allCalls.SubscribeDeferred(observer, _calls.Values.OrderBy(c => c.Serial).ToArray());
        }

        deliver();
        return subscription;
    }

    /// <summary>Calls registered or announced and not ended yet.</summary>
    public int LiveCallCount
    {
        get
        {
            lock (_callsGate)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>Calls the fold did not follow for lack of room (read without a lock: a counter for diagnostics).</summary>
    public long CallsRefused => _tracker.CallsRefused;

    /// <summary>Live calls, for snapshots.</summary>
    public IReadOnlyList<Call> LiveCalls()
    {
        lock (_callsGate)
        {
            return _calls.Values.OrderBy(c => c.Serial).ToArray();
        }
    }

    /// <summary>True while some thread folds queued inputs (and delivers their updates, inline ones to their observers); for tests.</summary>
    internal bool IsFolding
    {
        get
        {
            lock (_queueGate)
            {
                return _draining;
            }
        }
    }

    /// <summary>Entries the engine and its fold keep (for tests: zero once every call has ended).</summary>
    internal int RetainedEntries
    {
        get
        {
            lock (_callsGate)
            {
                return _calls.Count + _timers.Count + _tracker.RetainedEntries;
            }
        }
    }

    /// <summary>
    /// Registers <paramref name="call"/> with the fold (queued like any input, so before anything
    /// posted later). False when the engine is closed: the call will never be tracked.
    /// </summary>
    public bool Register(Call call, Func<CallTracker, DateTimeOffset, long> register) =>
        Enqueue(
            (tracker, now) =>
            {
                call.Serial = register(tracker, now);
                Action announce;
                lock (_callsGate)
                {
                    _calls.Add(call.Serial, call);
                    announce = _allCalls.OnNextDeferred(call);
                }

                announce();
                return [];
            },
            closes: false);

    /// <summary>Folds <paramref name="amiEvent"/>; one the fold has no handler for is not even queued.</summary>
    public void Apply(AmiEvent amiEvent)
    {
        var kind = FoldEvents.Classify(amiEvent.NameBytes);
        if (kind != FoldEvent.None)
        {
            Enqueue(new WorkItem(null, amiEvent, kind, Closes: false));
        }
    }

    /// <summary>Ends every live call as lost (see <see cref="CallTracker.ConnectionLost"/>).</summary>
    public void LoseAll(string reason) => Post((tracker, now) => tracker.ConnectionLost(reason, now));

    /// <summary>The connection was lost: live calls wait for a new login (see <see cref="CallTracker.Disconnected"/>).</summary>
    public void Disconnect(string reason) => Post((tracker, now) => tracker.Disconnected(reason, now));

    /// <summary>Events were dropped on the way to the fold: calls wait for the Status list (see <see cref="CallTracker.EventsMissed"/>).</summary>
    public void MissEvents(string reason) => Post((tracker, now) => tracker.EventsMissed(reason, now));

    /// <summary>Logged in again: the wait for it ends (see <see cref="CallTracker.Reconnected"/>).</summary>
    public void Reconnect() => Post((tracker, now) => tracker.Reconnected(now));

    /// <summary>Folds the Status list read after a new login (see <see cref="CallTracker.Resynced"/>).</summary>
    public void Resync(IReadOnlyList<AmiEvent> statusItems) => Post((tracker, now) => tracker.Resynced(statusItems, now));

    /// <summary>The Status list could not be read: calls that waited end as lost.</summary>
    public void FailResync(string reason) => Post((tracker, now) => tracker.ResyncFailed(reason, now));

    /// <summary>Errors every live call's sequence with <paramref name="error"/>, then closes the engine.</summary>
    public void FailAll(Exception error) => Enqueue(
        (tracker, now) =>
        {
            foreach (var call in LiveCalls())
            {
                try
                {
                    call.Fail(error);
                }
                catch (Exception ex) when (IsObserverFault(ex))
                {
                    CallLog.ObserverThrew(_logger, ex);
                }
            }

            tracker.ConnectionLost(error.Message, now);
            lock (_callsGate)
            {
                _calls.Clear();
            }

            return [];
        },
        closes: true);

    /// <summary>
    /// Ends every live call as lost, then stops accepting input and completes
    /// <see cref="NewCalls"/>. Inputs queued before this one are still folded first.
    /// </summary>
    public void Close(string reason) => Enqueue((tracker, now) => tracker.ConnectionLost(reason, now), closes: true);

    public void Post(Func<CallTracker, DateTimeOffset, IReadOnlyList<CallUpdate>> work) => Enqueue(work, closes: false);

    private bool Enqueue(Func<CallTracker, DateTimeOffset, IReadOnlyList<CallUpdate>> work, bool closes) =>
        Enqueue(new WorkItem(work, null, FoldEvent.None, closes));

    private bool Enqueue(WorkItem item)
    {
        lock (_queueGate)
        {
            if (_closed)
            {
                return false;
            }

            // Once the closing input is queued nothing else gets in, so it is the last one folded.
            _closed = item.Closes;
            _queue.Enqueue(item);
            if (_draining)
            {
                return true;
            }

            _draining = true;
        }

        Drain();
        return true;
    }

    private void Drain()
    {
        while (true)
        {
            WorkItem item;
            lock (_queueGate)
            {
                if (!_queue.TryDequeue(out item))
                {
                    _draining = false;
                    return;
                }
            }

            IReadOnlyList<CallUpdate> updates;
            try
            {
                updates = item.Event is { } amiEvent
                    ? _tracker.Apply(amiEvent, item.Kind, _scheduler.Now)
                    : item.Work!(_tracker, _scheduler.Now);
            }
            catch (Exception ex) when (IsObserverFault(ex))
            {
                // A fold fault must not stop the queue: log it and go on with the next input.
                CallLog.FoldFault(_logger, ex);
                updates = [];
            }

            Schedule(_tracker.TakeTimers());
            foreach (var update in updates)
            {
                Deliver(update);
            }

            if (item.Closes)
            {
                CloseCore();
            }
        }
    }

    private void Deliver(CallUpdate update)
    {
        // Only this (draining) thread adds or removes calls, so the look-up and the add below
        // need not be one locked step; the user's state factory runs between them, unlocked.
        Call? call;
        lock (_callsGate)
        {
            _calls.TryGetValue(update.Serial, out call);
        }

        var isNew = false;
        Action announce = static () => { };
        if (call is null)
        {
            if (!update.IsNew)
            {
                return;
            }

            call = new Call(update.CallId, update.Direction, update.Origin, _logger, Delivery) { Serial = update.Serial };
            call.SetCurrent(update.State);
            call.UserState = ChooseUserState(call);
            isNew = true;
        }

        lock (_callsGate)
        {
            if (isNew)
            {
                _calls.Add(call.Serial, call);
                announce = _allCalls.OnNextDeferred(call);
            }

            call.SetUniqueIds(update.UniqueIds);
            if (update.State?.IsTerminal == true)
            {
                _calls.Remove(update.Serial);
            }
        }

        // Observers are isolated from each other (IsolatingSubject): nothing here throws user errors.
        if (update.State is { } state)
        {
            call.Publish(state);
        }

        if (isNew)
        {
            announce();
            _newCalls.OnNext(call);
        }
    }

    private object? ChooseUserState(Call call)
    {
        if (_userStateFactory is null)
        {
            return null;
        }

        try
        {
            return _userStateFactory(call);
        }
        catch (Exception ex) when (IsObserverFault(ex))
        {
            CallLog.ObserverThrew(_logger, ex);
            return null;
        }
    }

    private void Schedule(IReadOnlyList<CallTimer> timers)
    {
        foreach (var timer in timers)
        {
            var key = (timer.Serial, timer.Kind);
            if (_timers.Remove(key, out var previous))
            {
                previous.Dispose();
            }

            if (timer.Due is { } due)
            {
                _timers[key] = _scheduler.Schedule(due, () => Post((tracker, now) =>
                {
                    _timers.Remove(key);
                    return tracker.Expire(timer, now);
                }));
            }
        }
    }

    private void CloseCore()
    {
        foreach (var timer in _timers.Values)
        {
            timer.Dispose();
        }

        _timers.Clear();

        // Isolating subjects never throw from user code.
        _newCalls.OnCompleted();
        _allCalls.OnCompleted();
    }

    /// <summary>One input: an event to fold (the common case, with no delegate to allocate), or other work.</summary>
    private readonly record struct WorkItem(Func<CallTracker, DateTimeOffset, IReadOnlyList<CallUpdate>>? Work, AmiEvent? Event, FoldEvent Kind, bool Closes);

    // A user's observer threw: log it and go on, so one bad subscriber cannot stall every call.
    private static bool IsObserverFault(Exception ex) => ex is not OutOfMemoryException;
}
