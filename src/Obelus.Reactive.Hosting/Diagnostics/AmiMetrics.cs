using System.Diagnostics;
using System.Diagnostics.Metrics;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using static Obelus.Reactive.Hosting.Diagnostics.ObelusAmiTelemetry;

namespace Obelus.Reactive.Hosting.Diagnostics;

/// <summary>
/// The instruments of one service provider, shared by its connections (told apart by the
/// connection tag). Figures the client and the call manager already keep (events received and
/// dropped, status, live calls) are observable instruments, read only when a listener collects;
/// the others are recorded as they happen and cost a branch when nobody listens.
/// </summary>
internal sealed class AmiMetrics
{
    private static readonly AmiConnectionStatus[] Statuses = Enum.GetValues<AmiConnectionStatus>();
    private readonly Lock _gate = new();
    private readonly Counter<long> _protocolErrors;
    private readonly Counter<long> _reconnects;
    private readonly UpDownCounter<long> _actionsActive;
    private readonly Histogram<double> _actionDuration;
    private readonly Counter<long> _originates;
    private readonly Histogram<double> _callDuration;
    private HostedAmiConnection[] _connections = [];

    public AmiMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(new MeterOptions(MeterName) { Version = typeof(AmiMetrics).Assembly.GetName().Version?.ToString() });
        Meter.CreateObservableCounter(EventsReceived, () => Observe(c => [new(c.Client.EventsReceived, c.Tag)]), "{event}", "Events read from the AMI server.");
        Meter.CreateObservableCounter(EventsDropped, () => Observe(c => [new(c.Client.EventsDropped, c.Tag, new(OverflowTag, OverflowName(c.Client.Options.EventOverflow)))]), "{event}", "Events dropped because a subscriber's buffer was full.");
        Meter.CreateObservableUpDownCounter(ConnectionStatus, () => Observe(ObserveStatus), "{connection}", "1 for the status each AMI connection is in, 0 for the others.");
        Meter.CreateObservableUpDownCounter(CallsActive, () => Observe(ObserveCalls), "{call}", "Live calls the call manager tracks.");
        _protocolErrors = Meter.CreateCounter<long>(ProtocolErrors, "{error}", "Malformed or over-limit AMI input the parser skipped.");
        _reconnects = Meter.CreateCounter<long>(Reconnects, "{attempt}", "Reconnect attempts, and retries of a failed first connection.");
        _actionsActive = Meter.CreateUpDownCounter<long>(ActionsActive, "{action}", "AMI actions sent and not yet answered.");
        _actionDuration = Meter.CreateHistogram<double>(ActionDuration, "s", "AMI action round trips, from sending to the response or failure.");
        _originates = Meter.CreateCounter<long>(Originates, "{call}", "Originated calls that reached their terminal state.");
        _callDuration = Meter.CreateHistogram<double>(CallDuration, "s", "Calls, from the request (originated) or the first state (incoming) to the terminal state.");
    }

    public Meter Meter { get; }

    /// <summary>True when someone listens to the action instruments (else the timing is skipped).</summary>
    public bool ActionsMeasured => _actionsActive.Enabled || _actionDuration.Enabled;

    /// <summary>True when someone listens to the call instruments.</summary>
    public bool CallsMeasured => _originates.Enabled || _callDuration.Enabled;

    public void Register(HostedAmiConnection connection)
    {
        lock (_gate)
        {
            _connections = [.. _connections, connection];
        }
    }

    public void Unregister(HostedAmiConnection connection)
    {
        lock (_gate)
        {
            _connections = [.. _connections.Where(c => c != connection)];
        }
    }

    public void ProtocolError(HostedAmiConnection connection) => _protocolErrors.Add(1, connection.Tag);

    public void Reconnect(HostedAmiConnection connection) => _reconnects.Add(1, connection.Tag);

    public void ActionStarted(HostedAmiConnection connection, string action) => _actionsActive.Add(1, connection.Tag, new(ActionTag, action));

    public void ActionEnded(HostedAmiConnection connection, string action, TimeSpan duration, string? errorType)
    {
        _actionsActive.Add(-1, connection.Tag, new(ActionTag, action));
        var tags = new TagList { connection.Tag, { ActionTag, action } };
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        _actionDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A call reached its terminal state: counted by outcome when we originated it, timed either way.</summary>
    public void CallEnded(HostedAmiConnection connection, CallDirection direction, string outcome, TimeSpan duration)
    {
        var directionTag = new KeyValuePair<string, object?>(DirectionTag, direction == CallDirection.Incoming ? "incoming" : "outgoing");
        if (direction == CallDirection.Outgoing)
        {
            _originates.Add(1, connection.Tag, new(OutcomeTag, outcome));
        }

        _callDuration.Record(duration.TotalSeconds, connection.Tag, directionTag, new(OutcomeTag, outcome));
    }

    /// <summary>The tag value of an outcome: snake case, as OpenTelemetry values are.</summary>
    public static string OutcomeName(CallOutcome? outcome) => outcome switch
    {
        null => "unknown",
        CallOutcome.NoAnswer => "no_answer",
        CallOutcome.LostDuringDisconnect => "lost_during_disconnect",
        { } other => other.ToString().ToLowerInvariant(),
    };

    private static string OverflowName(AmiEventOverflow overflow) => overflow == AmiEventOverflow.DropOldest ? "drop_oldest" : "wait";

    private IEnumerable<Measurement<long>> Observe(Func<HostedAmiConnection, IEnumerable<Measurement<long>>> measure) =>
        Volatile.Read(ref _connections).SelectMany(measure);

    private static IEnumerable<Measurement<long>> ObserveStatus(HostedAmiConnection connection)
    {
        var current = connection.Client.State.Status;
        foreach (var status in Statuses)
        {
            yield return new(status == current ? 1 : 0, connection.Tag, new(StatusTag, status.ToString().ToLowerInvariant()));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveCalls(HostedAmiConnection connection)
    {
        var tracked = connection.Calls.TrackedCalls;
        var incoming = tracked.Count(c => c.Direction == CallDirection.Incoming);
        yield return new(connection.Calls.QueuedCalls.Count, connection.Tag, new(DirectionTag, "outgoing"));
        yield return new(incoming, connection.Tag, new(DirectionTag, "incoming"));
    }
}
