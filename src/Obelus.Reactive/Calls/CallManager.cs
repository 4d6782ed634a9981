using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// Originates calls and tracks calls (ours and incoming ones) over one AMI connection, each call
/// as an <see cref="IObservable{CallState}"/>. See docs/calls.md for the semantics.
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="Originate"/> may be called from many threads at once. States are
/// delivered one at a time, in order, on the thread that fed the input (the connection's event
/// thread, a response continuation or a scheduler timer); observe them elsewhere with
/// <c>ObserveOn</c> when you do slow work.
/// </remarks>
public sealed class CallManager : IDisposable, IAsyncDisposable
{
    private readonly IAmiConnection _connection;
    private readonly CallEngine _engine;
    private readonly SettlingScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly CompositeDisposable _subscriptions = [];
    private readonly CancellationTokenSource _lifetime = new();
    private readonly string _instanceTag;
    private readonly string _channelIdPrefix;
    private int _incomingSubscribers;
    private long _lastCallId;
    private int _disposed;
    private string? _closedReason;
    private long _originatesRefused;
    private int _filtersWanted;
    private int _lostSinceFilters;
    private int _seenConnected;
    private int _lossCount;
    private int _resyncedLossCount;

    /// <summary>Creates a manager over <paramref name="connection"/> and starts listening to its events.</summary>
    /// <param name="connection">The AMI connection (usually an AmiClient).</param>
    /// <param name="options">Settings; <see cref="CallManagerOptions.Default"/> when null.</param>
    /// <param name="scheduler">Clock and timers; the default scheduler when null.</param>
    /// <param name="logger">Where to log; nothing when null.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public CallManager(IAmiConnection connection, CallManagerOptions? options = null, IScheduler? scheduler = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Options = options ?? CallManagerOptions.Default;
        Options.Validate();
        _connection = connection;
        _instanceTag = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        _channelIdPrefix = "obelus-" + _instanceTag.ToLowerInvariant() + "-";
        TrackingVariable = Options.TrackingVariable ?? "X_" + _instanceTag;
        var settings = new CallTrackerSettings(TrackingVariable, Options.ResponseTimeout, Options.BindTimeoutMargin, Options.OriginateResponseGrace, AdoptUnknownTrackingValues: false, Options.ReconnectGrace, _channelIdPrefix, Options.RecentHangupMemory, Options.MaxTrackedCalls);
        // Against the in-memory simulator in virtual time, the fold's timers wait until nothing is in flight.
        var client = connection as AmiClient;
        _scheduler = new SettlingScheduler(scheduler ?? CallDefaults.Scheduler, () => client?.Gauge);
        _logger = logger ?? NullLogger.Instance;
        _engine = new CallEngine(settings, _scheduler, _logger, trackIncoming: false, Options.IncomingUserState, ObserverDelivery.For(Options, () => client?.Gauge));

        IncomingCalls = WithIncomingTracking(observer => _engine.NewCalls.Where(c => c.Direction == CallDirection.Incoming).Subscribe(observer));
        Calls = WithIncomingTracking(_engine.SubscribeAllCalls);

        // Where the connection can say so, the manager learns of events its buffering policy dropped
        // for it, and re-synchronises rather than keep calls whose end it may have missed.
        var events = connection is IEventGapSource gaps
            ? Observable.Create<AmiEvent>(observer => gaps.SubscribeEvents(observer, OnEventsMissed))
            : connection.Events;
        _subscriptions.Add(events.Subscribe(
            _engine.Apply,
            error => Close("The event stream failed: " + error.Message),
            () => Close("The event stream ended")));
        _subscriptions.Add(connection.States.Subscribe(
            OnConnectionState,
            error => Close("The connection failed: " + error.Message)));
    }

    /// <summary>The settings in force.</summary>
    public CallManagerOptions Options { get; }

    /// <summary>The channel variable our Originates set to their call id (unique per manager unless set in the options).</summary>
    public string TrackingVariable { get; }

    /// <summary>
    /// Incoming calls: a non-Local channel that starts its own Linkedid becomes one on its first
    /// Newstate. Hot; only tracked while at least one observer is subscribed (none are created, and
    /// nothing is kept, otherwise). Each <see cref="Call"/> comes with its first state set.
    /// </summary>
    public IObservable<Call> IncomingCalls { get; }

    /// <summary>
    /// Every call: first those live when you subscribe (outgoing ones from the moment they were
    /// originated, incoming ones once announced), then each new one as it starts, with nothing
    /// missed or repeated in between. Subscribing also switches incoming-call tracking on, as
    /// <see cref="IncomingCalls"/> does. Completes when the connection closes for good or the
    /// manager is disposed.
    /// </summary>
    public IObservable<Call> Calls { get; }

    /// <summary>Calls not followed because <see cref="CallManagerOptions.MaxTrackedCalls"/> were followed already: Originates refused plus incoming calls left alone.</summary>
    public long CallsRefused => Interlocked.Read(ref _originatesRefused) + _engine.CallsRefused;

    /// <summary>Our calls that the server accepted and that have not ended (a snapshot).</summary>
    public IReadOnlyList<Call> QueuedCalls =>
        _engine.LiveCalls().Where(c => c.Direction == CallDirection.Outgoing && c.Current is { IsTerminal: false }).ToArray();

    /// <summary>Live calls bound to at least one channel, incoming ones included (a snapshot).</summary>
    public IReadOnlyList<Call> TrackedCalls =>
        _engine.LiveCalls().Where(c => c.UniqueIds.Count > 0).ToArray();

    /// <summary>Entries kept for live calls (zero once every call has ended); for tests.</summary>
    internal int RetainedEntries => _engine.RetainedEntries;

    /// <summary>True while some thread folds inputs and delivers their updates; for tests.</summary>
    internal bool IsFolding => _engine.IsFolding;

    /// <summary>
    /// A cold sequence: each subscription originates one call and follows it: Queued once the
    /// server accepts it (never before), then its changes, then one terminal state (Ended, or
    /// Failed), then completion. Unsubscribing stops the notifications only: it does not hang the
    /// call up (send a Hangup for that); the manager keeps tracking it until it ends.
    /// </summary>
    /// <remarks>
    /// Cold means every subscription places another call: share one with <c>Replay()</c> +
    /// <c>Connect()</c> (or use <see cref="PlaceCall"/>) when several observers follow one call.
    /// </remarks>
    /// <exception cref="ArgumentException">The request is invalid (checked now, before any subscription).</exception>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public IObservable<CallState> Originate(OriginateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        request.Validate(TrackingVariable);
        return Observable.Create<CallState>(observer =>
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                observer.OnError(new ObjectDisposedException(nameof(CallManager)));
                return Disposable.Empty;
            }

            return Start(request, userState: null, observer).Subscription;
        });
    }

    /// <summary>
    /// Originates one call now and returns it: hot, placed once, however many observe it. Its
    /// <see cref="Call.States"/> gives a late observer the current state first, then each change;
    /// subscribe before anything else happens to see every state from Queued on, or use
    /// <see cref="Originate"/>. The call also appears on <see cref="Calls"/>.
    /// </summary>
    /// <param name="request">What to originate.</param>
    /// <param name="userState">Anything of yours to carry with the call (<see cref="Call.UserState"/>).</param>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public Call PlaceCall(OriginateRequest request, object? userState = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        request.Validate(TrackingVariable);
        return Start(request, userState, observer: null).Call;
    }

    private (Call Call, IDisposable Subscription) Start(OriginateRequest request, object? userState, IObserver<CallState>? observer)
    {
        var serial = Interlocked.Increment(ref _lastCallId);
        var callId = serial.ToString(CultureInfo.InvariantCulture);
        var actionId = "obelus-" + _instanceTag + "-" + callId;
        var useChannelId = Options.UseChannelId switch
        {
            ChannelIdMode.Always => true,
            ChannelIdMode.Never => false,
            _ => _connection.Banner?.SupportsChannelId == true,
        };
        var (channelId, otherChannelId) = useChannelId ? ChannelIds(serial) : (null, null);
        var action = request.ToAction(TrackingVariable, callId, actionId, channelId, otherChannelId);
        var timeout = request.Timeout ?? Options.DefaultOriginateTimeout;

        var call = new Call(callId, CallDirection.Outgoing, origin: null, _logger, _engine.Delivery) { UserState = userState };
        var subscription = observer is null ? Disposable.Empty : call.States.Subscribe(observer);
        if (_engine.LiveCallCount >= Options.MaxTrackedCalls)
        {
            Interlocked.Increment(ref _originatesRefused);
            call.Publish(FailedBeforeSending(callId, actionId, CallOutcome.Failed, $"Not originated: the call manager follows {Options.MaxTrackedCalls} calls already (MaxTrackedCalls)"));
            return (call, subscription);
        }

        // Registered before sending: events of the call may be handled before its response.
        if (_engine.Register(call, (tracker, now) => tracker.RegisterOutgoing(callId, actionId, request.Async, timeout, channelId, otherChannelId, now)))
        {
            SendOriginate(call, action);
        }
        else
        {
            // Disposed, or the connection closed for good: never sent, so it fails here rather than hang.
            call.Publish(FailedBeforeSending(callId, actionId, CallOutcome.Lost, Volatile.Read(ref _closedReason) ?? "The call manager was disposed"));
        }

        return (call, subscription);
    }

    private CallState FailedBeforeSending(string callId, string actionId, CallOutcome outcome, string reason) => new()
    {
        CallId = callId,
        Direction = CallDirection.Outgoing,
        Change = CallChange.Failed,
        Outcome = outcome,
        Failure = new CallFailure(reason),
        Timestamp = _scheduler.Now,
        ActionId = actionId,
    };

    /// <summary>
    /// Asks the server to send this session only what the call layer reads: the two whitelisting
    /// filters <c>Privilege: call,all</c> and <c>Variable: &lt;tracking variable&gt;</c>. Needs an
    /// AMI user with <c>write=system</c>. Filters belong to a session: after a reconnect the manager
    /// adds them again by itself (a failure then is logged).
    /// </summary>
    /// <exception cref="AmiActionException">The server refused a filter.</exception>
    public async Task SetupFiltersAsync(CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _lostSinceFilters, 0);
        Volatile.Write(ref _filtersWanted, 1);
        foreach (var filter in (string[])["Privilege: call,all", "Variable: " + TrackingVariable])
        {
            var action = new AmiAction("Filter").Add("Operation", "Add").Add("Filter", filter);
            await _connection.SendAsync(action, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops listening. Every live call ends with outcome <see cref="CallOutcome.Lost"/> (on the
    /// server the calls go on), <see cref="IncomingCalls"/> completes.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _subscriptions.Dispose();
        _lifetime.Cancel();
        _engine.Close("The call manager was disposed");
        _lifetime.Dispose();
    }

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The Uniqueids our Originate asks for. Asterisk refuses an id that is the beginning of a live
    /// channel's Uniqueid (it compares only the requested id's length, ignoring case), so every id
    /// this manager hands out has the same length and ends in a distinct last character: none can
    /// be a prefix of another, whatever order concurrent Originates reach the channel list in.
    /// </summary>
    private (string ChannelId, string OtherChannelId) ChannelIds(long serial)
    {
        var stem = _channelIdPrefix + serial.ToString("x16", CultureInfo.InvariantCulture);
        return (stem + "-1", stem + "-2");
    }

    /// <summary>
    /// The connection is gone for good (a closed client never connects again): live calls end as
    /// lost, <see cref="IncomingCalls"/> completes, and later Originates fail at once with the reason.
    /// </summary>
    private void Close(string reason)
    {
        Interlocked.CompareExchange(ref _closedReason, reason, null);
        _engine.Close(reason);
    }

    /// <summary>Observation point for tests: the fold starts waiting for an observer past <see cref="CallManagerOptions.MaxQueuedPerObserver"/>.</summary>
    internal Action? ObserverBackpressureStarted
    {
        get => _engine.Delivery.WaitStarted;
        set
        {
            // The inline delivery is shared by every inline manager and never waits.
            if (_engine.Delivery.Offload)
            {
                _engine.Delivery.WaitStarted = value;
            }
        }
    }

    /// <summary>Subscribes through <paramref name="subscribe"/> first, then switches incoming tracking on, so no call is created for nobody.</summary>
    private IObservable<Call> WithIncomingTracking(Func<IObserver<Call>, IDisposable> subscribe) =>
        Observable.Create<Call>(observer =>
        {
            var subscription = subscribe(observer);
            AddIncomingSubscriber(+1);
            return Disposable.Create(() =>
            {
                subscription.Dispose();
                AddIncomingSubscriber(-1);
            });
        });

    private void SendOriginate(Call call, AmiAction action) =>
        SendThen(
            gauge => _connection is AmiClient client ? client.SendAsync(action, gauge, _lifetime.Token) : _connection.SendAsync(action, _lifetime.Token),
            call,
            static (manager, task, call) => manager.OnOriginateResult(call, task));

    /// <summary>
    /// Sends through <paramref name="send"/> and hands the answer to <paramref name="then"/> on the
    /// thread that completes it (no thread-pool hop, so a test completing it by hand sees the result
    /// at once). Against the in-memory simulator in virtual time the hand-over counts as work in
    /// flight until <paramref name="then"/> has run, and the send waits for it.
    /// </summary>
    private void SendThen<TResult, TState>(Func<WorkGauge?, Task<TResult>> send, TState state, Action<CallManager, Task<TResult>, TState> then)
    {
        var gauge = (_connection as AmiClient)?.Gauge;
        Task<TResult> sending;
        try
        {
            sending = send(gauge);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Thrown before the client took the send: nothing was counted.
            gauge = null;
            sending = Task.FromException<TResult>(ex);
        }

        _ = sending.ContinueWith(
            static (task, boxed) =>
            {
                var (manager, state, then, gauge) = ((CallManager, TState, Action<CallManager, Task<TResult>, TState>, WorkGauge?))boxed!;
                WorkGauge.EnterInFlight();
                try
                {
                    then(manager, task, state);
                }
                finally
                {
                    WorkGauge.ExitInFlight();
                    gauge?.ExitContinuation();
                }
            },
            (this, state, then, gauge),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        gauge?.SettleAfterWrite();
    }

    private void OnOriginateResult(Call call, Task<AmiResponse> task)
    {
        AmiResponse? response = null;
        Exception? error = null;
        if (task.IsCompletedSuccessfully)
        {
            response = task.Result;
        }
        else if (task.Exception?.InnerException is AmiActionException rejected)
        {
            response = rejected.Response;
        }
        else
        {
            // Whatever went wrong sending, the call must end with a state saying so.
            error = task.Exception?.InnerException ?? new OperationCanceledException("The Originate was cancelled.");
        }

        _engine.Post((tracker, now) => tracker.ApplyOriginateResult(call.Serial, response, error, now));
    }

    private void OnConnectionState(AmiConnectionState state)
    {
        var reason = $"Connection {state.Status.ToString().ToLowerInvariant()}" + (state.Reason is null ? string.Empty : ": " + state.Reason.Message);
        switch (state.Status)
        {
            case AmiConnectionStatus.Closed:
                Volatile.Write(ref _lostSinceFilters, 1);
                Close(reason);
                break;
            case AmiConnectionStatus.Disconnected:
                Volatile.Write(ref _lostSinceFilters, 1);

                // Before the first login there is nothing to lose (the initial state, a failed first connect).
                if (Volatile.Read(ref _seenConnected) != 0)
                {
                    Interlocked.Increment(ref _lossCount);
                    _engine.Disconnect(reason);
                }

                break;
            case AmiConnectionStatus.Connected:
                Volatile.Write(ref _seenConnected, 1);
                if (Volatile.Read(ref _filtersWanted) != 0 && Interlocked.Exchange(ref _lostSinceFilters, 0) != 0)
                {
                    // Filters belong to a session: a new login starts without them.
                    _ = ReapplyFiltersAsync();
                }

                var losses = Volatile.Read(ref _lossCount);
                if (Interlocked.Exchange(ref _resyncedLossCount, losses) != losses)
                {
                    _engine.Reconnect();
                    Resync(losses);
                }

                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Events were lost before the next one (a DropOldest buffer overflowed): what the fold knows may
    /// be stale, so it is re-synchronised like after a reconnect, over the live connection.
    /// </summary>
    private void OnEventsMissed(long lost)
    {
        CallLog.EventsMissed(_logger, lost);
        var losses = Interlocked.Increment(ref _lossCount);
        Interlocked.Exchange(ref _resyncedLossCount, losses);
        _engine.MissEvents($"{lost} event(s) were dropped before reaching the call manager");
        Resync(losses);
    }

    /// <summary>Asks the server which channels live now, with our tracking variable, and folds the answer.</summary>
    private void Resync(int losses)
    {
        var action = new AmiAction("Status").Add("Variables", TrackingVariable);
        SendThen(
            gauge => _connection is AmiClient client ? client.SendEventListAsync(action, gauge, _lifetime.Token) : _connection.SendEventListAsync(action, _lifetime.Token),
            losses,
            static (manager, task, losses) => manager.OnResyncResult(task, losses));
    }

    private void OnResyncResult(Task<AmiEventList> task, int losses)
    {
        // A newer loss makes this answer stale: the next login re-synchronises again.
        var current = Volatile.Read(ref _lossCount) == losses && Volatile.Read(ref _disposed) == 0;
        if (task.IsCompletedSuccessfully)
        {
            if (current)
            {
                _engine.Resync(task.Result.Items);
            }

            return;
        }

        var error = task.Exception?.InnerException ?? new OperationCanceledException("The Status action was cancelled.");
        CallLog.ResyncFailed(_logger, error);
        if (current)
        {
            _engine.FailResync(error.Message);
        }
    }

    private async Task ReapplyFiltersAsync()
    {
        try
        {
            await SetupFiltersAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Without filters the session still works, it just receives more events.
            CallLog.FiltersNotRestored(_logger, ex);
        }
    }

    private void AddIncomingSubscriber(int delta)
    {
        Interlocked.Add(ref _incomingSubscribers, delta);

        // The fold reads the count when it gets to this input, so racing subscribe and
        // unsubscribe calls settle on the latest count whatever order they are queued in.
        _engine.Post((tracker, _) =>
        {
            tracker.TrackIncoming = Volatile.Read(ref _incomingSubscribers) > 0;
            return [];
        });
    }
}
