using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// A connection to an Asterisk Manager Interface server: logs in, correlates responses to
/// actions, gathers event lists, and publishes every other event on a hot <see cref="Events"/>.
/// </summary>
/// <remarks>
/// Threading: one read loop per connection parses the socket and writes each event into every
/// <see cref="Events"/> subscriber's own bounded queue; each subscriber has its own drain loop,
/// in wire order, so handlers may send actions (even block on them) without deadlock, and a slow
/// or throwing subscriber holds up only itself (and, under <see cref="AmiEventOverflow.Wait"/>,
/// the read loop once its queue is full). Timers (action timeout, keep-alive, reconnect backoff) run on the injected
/// scheduler. See docs/client.md for the buffering, reconnect and keep-alive policies.
/// </remarks>
public sealed partial class AmiClient : IAmiConnection, IAsyncDisposable, IEventGapSource
{
    private readonly AmiClientOptions _options;
    private readonly IAmiTransport _transport;
    private readonly SettlingScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, PendingAction> _pending = new(StringComparer.Ordinal);
    private readonly Channel<object> _dispatch;
    private readonly ObserverFanOut<AmiProtocolException> _protocolErrors;
    private readonly ObserverFanOut<long> _drops;
    private readonly ObserverFanOut<AmiConnectionState> _states;
    // States to publish, in order; null ends States; an Action runs once the states before it are out.
    private readonly Queue<object?> _statesToPublish = new();
    private bool _publishingStates;
    private AmiConnectionState _publishedState;
    private readonly Lock _gate = new();
    private readonly LogThrottle _protocolErrorLog;
    private readonly LogThrottle _unknownResponseLog;
    private readonly Task _dispatcher;
    private AmiConnectionState _state;
    private AmiSession? _session;
    private int _sessionCount;
    private long _actionCounter;
    private long _eventsDropped;
    private long _eventsReceived;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync(CancellationToken)"/>.</summary>
    /// <param name="options">Server, credentials and limits.</param>
    /// <param name="transport">How to reach the server; default TCP to <see cref="AmiClientOptions.Host"/>:<see cref="AmiClientOptions.Port"/>.</param>
    /// <param name="scheduler">Clock for every timer; default the thread pool's.</param>
    /// <param name="logger">Where to log; default nowhere.</param>
    public AmiClient(AmiClientOptions options, IAmiTransport? transport = null, IScheduler? scheduler = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _transport = transport ?? AmiTransport.Tcp(options.Host, options.Port);
        // In virtual time against the in-memory simulator, timers wait until nothing is in flight.
        _scheduler = new SettlingScheduler(scheduler ?? AmiSchedulerDefaults.Timers, () => Volatile.Read(ref _gauge));
        _logger = logger ?? NullLogger.Instance;

        _protocolErrorLog = new LogThrottle(_scheduler, options.MaxWarningsPerMinute);
        _unknownResponseLog = new LogThrottle(_scheduler, options.MaxWarningsPerMinute);
        _protocolErrors = new ObserverFanOut<AmiProtocolException>(_logger, AmiClientLog.SubscriberThrew);
        _drops = new ObserverFanOut<long>(_logger, AmiClientLog.SubscriberThrew);
        _states = new ObserverFanOut<AmiConnectionState>(_logger, AmiClientLog.StateSubscriberThrew);
        _state = _publishedState = new AmiConnectionState(AmiConnectionStatus.Disconnected, _scheduler.Now);
        Events = System.Reactive.Linq.Observable.Create<AmiEvent>(SubscribeEvents);
        ProtocolErrors = _protocolErrors.AsObservable();
        EventDrops = _drops.AsObservable();
        // A new subscriber starts from the last state published, then gets the queued ones: no gap, no repeat.
        States = _states.AsObservable(() => Volatile.Read(ref _publishedState));

        _dispatch = CreateDispatchChannel();
        _dispatcher = Task.Run(DispatchLoopAsync);
    }

    /// <summary>
    /// Every event that is not an item of a pending event list, hot and shared, in wire order.
    /// It survives reconnects, never errors, and completes when the client closes
    /// (disposal, Logoff, or reconnecting given up), for each subscriber once its queue is drained.
    /// Each subscriber has its own queue of <see cref="AmiClientOptions.EventBufferCapacity"/>
    /// events and its own delivery loop; one that throws is unsubscribed, the others go on.
    /// </summary>
    public IObservable<AmiEvent> Events { get; }

    /// <summary>Connection state changes; a new subscriber first gets the current state. Completes after <see cref="AmiConnectionStatus.Closed"/>.</summary>
    public IObservable<AmiConnectionState> States { get; }

    /// <summary>Malformed or over-limit input the parser skipped; the connection goes on. Delivered like events, in order.</summary>
    public IObservable<AmiProtocolException> ProtocolErrors { get; }

    /// <summary>
    /// With <see cref="AmiEventOverflow.DropOldest"/>: the running total of dropped events (all
    /// subscribers together), published before the next event a subscriber that lost some gets.
    /// </summary>
    public IObservable<long> EventDrops { get; }

    /// <summary>
    /// Events dropped so far because a subscriber's queue was full, summed over subscribers (an
    /// event two subscribers lost counts twice), plus protocol errors dropped from their buffer.
    /// Always 0 with <see cref="AmiEventOverflow.Wait"/>.
    /// </summary>
    public long EventsDropped => Interlocked.Read(ref _eventsDropped);

    /// <summary>
    /// Events read from the server and handed to the <see cref="Events"/> subscribers so far, over
    /// every connection of this client (event-list items excluded). A plain counter, cheap to poll
    /// (metrics read it on collection).
    /// </summary>
    public long EventsReceived => Interlocked.Read(ref _eventsReceived);

    /// <summary>
    /// True while the read loop waits for room in a full subscriber queue (<see cref="AmiEventOverflow.Wait"/>):
    /// a subscriber is too slow, and the events, responses and keep-alive answers behind it wait too.
    /// </summary>
    public bool IsWaitingForSubscribers => Volatile.Read(ref _session)?.WaitingForEventBuffer == true;

    /// <summary>The current connection state.</summary>
    public AmiConnectionState State => Volatile.Read(ref _state);

    /// <inheritdoc />
    public AmiBanner? Banner { get; private set; }

    /// <summary>The options this client was created with.</summary>
    public AmiClientOptions Options => _options;

    /// <summary>Creates a client and connects it; disposes it when connecting fails.</summary>
    public static async Task<AmiClient> ConnectAsync(AmiClientOptions options, IAmiTransport? transport = null, IScheduler? scheduler = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var client = new AmiClient(options, transport, scheduler, logger);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="state"/> current at once and queues it for the <see cref="States"/>
    /// subscribers, who hear of it once no thread holds the client's lock: their code (the call
    /// layer ending calls, a user's handler) never runs under it. The queue keeps one order.
    /// </summary>
    private void SetState(AmiConnectionState state)
    {
        lock (_gate)
        {
            Volatile.Write(ref _state, state);
            _statesToPublish.Enqueue(state);
        }

        FlushStates();
    }

    /// <summary>Queues the end of <see cref="States"/>, after every state queued before it.</summary>
    private void CompleteStates() => EnqueueAfterStates(null);

    /// <summary>
    /// Runs <paramref name="work"/> once every state queued so far has been published (at once when
    /// none is pending): whoever sees its effect (an action failing for a lost connection) has
    /// already been told the state that explains it.
    /// </summary>
    private void AfterStates(Action work) => EnqueueAfterStates(work);

    private void EnqueueAfterStates(object? item)
    {
        lock (_gate)
        {
            _statesToPublish.Enqueue(item);
        }

        FlushStates();
    }

    /// <summary>
    /// Publishes the queued states, one thread at a time, never under the client's lock: a thread
    /// that still holds it leaves them to the flush after its lock block, and a thread that finds
    /// another one publishing leaves them to that one.
    /// </summary>
    private void FlushStates()
    {
        if (_gate.IsHeldByCurrentThread)
        {
            return;
        }

        while (true)
        {
            object? next;
            lock (_gate)
            {
                if (_publishingStates || !_statesToPublish.TryDequeue(out next))
                {
                    return;
                }

                _publishingStates = true;
            }

            try
            {
                switch (next)
                {
                    case AmiConnectionState state:
                        _states.Publish(() => Volatile.Write(ref _publishedState, state), state);
                        break;
                    case Action work:
                        work();
                        break;
                    default:
                        _states.OnCompleted();
                        break;
                }
            }
            finally
            {
                lock (_gate)
                {
                    _publishingStates = false;
                }
            }
        }
    }

    private AmiConnectionState NewState(AmiConnectionStatus status, Exception? reason = null, int attempt = 0, TimeSpan delay = default) =>
        new(status, _scheduler.Now, Banner, reason, attempt, delay);

    /// <summary>Logs a protocol error unless the server has provoked too many this minute (they all still reach <see cref="ProtocolErrors"/>).</summary>
    private void LogProtocolError(AmiProtocolException error)
    {
        if (_protocolErrorLog.TryEnter(out var suppressed, out var starts))
        {
            AmiClientLog.ProtocolError(_logger, suppressed, error);
        }
        else if (starts)
        {
            AmiClientLog.WarningsSuppressed(_logger, _options.MaxWarningsPerMinute, "protocol errors");
        }
    }

    /// <summary>Logs an answer nobody waits for, with the server's text made safe, within the same kind of budget.</summary>
    private void LogUnknownResponse(string? actionId, string status)
    {
        if (_unknownResponseLog.TryEnter(out var suppressed, out var starts))
        {
            AmiClientLog.UnknownResponse(_logger, LogText.Clean(actionId), LogText.Clean(status), suppressed);
        }
        else if (starts)
        {
            AmiClientLog.WarningsSuppressed(_logger, _options.MaxWarningsPerMinute, "responses with an unknown ActionID");
        }
    }

    private string Describe(AmiSession? session)
    {
        var state = State;
        var reading = session?.Reading ?? "no connection";
        return $"connection {state.Status}, read loop {reading}, {_pending.Count} action(s) pending";
    }
}
