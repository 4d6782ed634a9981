using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Microsoft.Extensions.Logging;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Hosting.Configuration;
using Obelus.Reactive.Hosting.Diagnostics;

namespace Obelus.Reactive.Hosting;

/// <summary>
/// One named AMI connection of the host: its <see cref="AmiClient"/>, the <see cref="CallManager"/>
/// over it, and the instrumented view of both. The host connects it at start, the client
/// reconnects it with the configured policy, and the host logs it off at shutdown. Resolve it
/// with <c>GetRequiredKeyedService&lt;HostedAmiConnection&gt;(name)</c>, or without a key for the
/// default connection, or through <see cref="HostedAmiConnections"/>.
/// </summary>
public sealed partial class HostedAmiConnection : IAsyncDisposable
{
    private readonly AmiMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CompositeDisposable _subscriptions = [];
    private readonly Lock _dropsGate = new();
    private long _dropsSeen;
    private DateTimeOffset? _lastDropAt;
    private int _disposed;

    internal HostedAmiConnection(string name, AmiConnectionOptions options, AmiConnectionSetup setup, IServiceProvider services, ILoggerFactory loggerFactory, AmiMetrics metrics)
    {
        Name = name;
        DisplayName = AmiConnectionSetup.Describe(name);
        Options = options;
        Tag = new(ObelusAmiTelemetry.ConnectionTag, DisplayName);
        Scheduler = setup.Scheduler ?? DefaultScheduler.Instance;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger("Obelus.Reactive.Hosting");

        var transport = setup.TransportFactory?.Invoke(services)
            ?? (options.UseTls ? AmiTransport.Tls(options.Host, options.Port) : AmiTransport.Tcp(options.Host, options.Port));
        Client = new AmiClient(options.ToClientOptions(), transport, setup.Scheduler, loggerFactory.CreateLogger("Obelus.Reactive.Client"));
        Connection = new InstrumentedAmiConnection(this, Client, metrics);
        Calls = new CallManager(Connection, options.CallManager, setup.Scheduler, loggerFactory.CreateLogger("Obelus.Reactive.Calls"));

        // Rare notifications only: the event stream itself is not subscribed to (that would cost a queue per event).
        _subscriptions.Add(Client.States.Subscribe(OnState));
        _subscriptions.Add(Client.ProtocolErrors.Subscribe(_ => _metrics.ProtocolError(this)));
        _subscriptions.Add(Client.EventDrops.Subscribe(_ => NoteDrops()));
        if (options.MeasureIncomingCalls)
        {
            _subscriptions.Add(MeasureIncomingCalls());
        }

        metrics.Register(this);
    }

    /// <summary>The name the connection was registered with (empty for the default connection).</summary>
    public string Name { get; }

    /// <summary>The settings in force (the secret included: do not log this object's properties one by one).</summary>
    public AmiConnectionOptions Options { get; }

    /// <summary>The client. Actions sent on it directly are not traced or measured; send them on <see cref="Connection"/> for that.</summary>
    public AmiClient Client { get; }

    /// <summary>The client as the call manager sees it: every action round trip traced and measured.</summary>
    public IAmiConnection Connection { get; }

    /// <summary>The call manager over <see cref="Connection"/>.</summary>
    public CallManager Calls { get; }

    /// <summary>The name in messages, metrics and traces (<c>default</c> for the unnamed connection).</summary>
    internal string DisplayName { get; }

    /// <summary>The connection tag of every measurement.</summary>
    internal KeyValuePair<string, object?> Tag { get; }

    /// <summary>The clock of every timer and duration of this connection.</summary>
    internal IScheduler Scheduler { get; }

    /// <summary>When an event was last seen dropped, if ever (scheduler time).</summary>
    internal DateTimeOffset? LastDropAt
    {
        get
        {
            NoteDrops();
            lock (_dropsGate)
            {
                return _lastDropAt;
            }
        }
    }

    /// <summary>
    /// Ends the call manager (live calls end as Lost locally), logs off and closes the client. The
    /// host calls it at shutdown; calling it again does nothing.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        StopStartupRetries();
        Calls.Dispose();
        await Client.DisposeAsync().ConfigureAwait(false);
        _subscriptions.Dispose();
        _metrics.Unregister(this);
        _stopping.Dispose();
    }

    private void OnState(AmiConnectionState state)
    {
        if (state.Status == AmiConnectionStatus.Reconnecting)
        {
            _metrics.Reconnect(this);
        }
    }

    /// <summary>Notes the time when the client's drop count grew since it was last looked at.</summary>
    private void NoteDrops()
    {
        var dropped = Client.EventsDropped;
        lock (_dropsGate)
        {
            if (dropped != _dropsSeen)
            {
                _dropsSeen = dropped;
                _lastDropAt = Scheduler.Now;
            }
        }
    }
}
