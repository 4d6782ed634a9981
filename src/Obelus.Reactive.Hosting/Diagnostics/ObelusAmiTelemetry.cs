using System.Diagnostics;

namespace Obelus.Reactive.Hosting.Diagnostics;

/// <summary>
/// Names of the meter, the activity source, the instruments and the tags the hosting package
/// reports, for exporters and dashboards (<c>AddMeter(ObelusAmiTelemetry.MeterName)</c>,
/// <c>AddSource(ObelusAmiTelemetry.ActivitySourceName)</c>). docs/hosting.md lists them with units.
/// </summary>
public static class ObelusAmiTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> every instrument belongs to.</summary>
    public const string MeterName = "Obelus.Reactive";

    /// <summary>The <see cref="ActivitySource"/> of Originate and action activities.</summary>
    public const string ActivitySourceName = "Obelus.Reactive";

    /// <summary>Counter of events read from the server ({event}).</summary>
    public const string EventsReceived = "obelus.ami.events.received";

    /// <summary>Counter of events dropped because a subscriber's buffer was full ({event}); tagged with the overflow policy.</summary>
    public const string EventsDropped = "obelus.ami.events.dropped";

    /// <summary>Counter of malformed or over-limit input the parser skipped ({error}).</summary>
    public const string ProtocolErrors = "obelus.ami.protocol.errors";

    /// <summary>Counter of reconnect attempts scheduled after a lost connection, and retries of a failed first connection ({attempt}).</summary>
    public const string Reconnects = "obelus.ami.connection.reconnects";

    /// <summary>Up-down counter per connection status: 1 for the status the connection is in, 0 for the others ({connection}).</summary>
    public const string ConnectionStatus = "obelus.ami.connection.status";

    /// <summary>Up-down counter of actions sent and not yet answered ({action}).</summary>
    public const string ActionsActive = "obelus.ami.actions.active";

    /// <summary>Histogram of action round trips, from sending to the response or failure (s).</summary>
    public const string ActionDuration = "obelus.ami.action.duration";

    /// <summary>Up-down counter of live calls the call manager tracks, by direction ({call}).</summary>
    public const string CallsActive = "obelus.ami.calls.active";

    /// <summary>Counter of originated calls that reached their terminal state, by outcome ({call}).</summary>
    public const string Originates = "obelus.ami.originates";

    /// <summary>Histogram of originated calls, from the request to the terminal state, by outcome (s).</summary>
    public const string CallDuration = "obelus.ami.call.duration";

    /// <summary>Tag: the connection's name (<c>default</c> for the unnamed one).</summary>
    public const string ConnectionTag = "obelus.ami.connection.name";

    /// <summary>Tag: a connection status, lower case (<c>connected</c>, <c>reconnecting</c>, ...).</summary>
    public const string StatusTag = "obelus.ami.connection.status";

    /// <summary>Tag: the event overflow policy (<c>wait</c> or <c>drop_oldest</c>).</summary>
    public const string OverflowTag = "obelus.ami.event.overflow";

    /// <summary>Tag: an action's name, as sent (<c>Originate</c>, <c>Ping</c>, ...).</summary>
    public const string ActionTag = "obelus.ami.action.name";

    /// <summary>Tag: the ActionID of an action (activities only).</summary>
    public const string ActionIdTag = "obelus.ami.action.id";

    /// <summary>Tag: why an action or a call failed: the exception's type name (OpenTelemetry's <c>error.type</c>).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Tag: a call's direction (<c>outgoing</c> or <c>incoming</c>).</summary>
    public const string DirectionTag = "obelus.call.direction";

    /// <summary>Tag: a call's outcome in snake case (<c>answered</c>, <c>no_answer</c>, <c>busy</c>, ...).</summary>
    public const string OutcomeTag = "obelus.call.outcome";

    /// <summary>Tag: the call id the call manager gave an originated call (activities only).</summary>
    public const string CallIdTag = "obelus.call.id";

    /// <summary>Tag: the channel an Originate dials (activities only).</summary>
    public const string ChannelTag = "obelus.call.channel";

    /// <summary>Tag: the numeric hangup cause of an ended call (activities only).</summary>
    public const string HangupCauseTag = "obelus.call.hangup_cause";

    /// <summary>Tag: the text of the hangup cause (activities only).</summary>
    public const string HangupCauseTextTag = "obelus.call.hangup_cause_text";

    /// <summary>Tag: why an Originate failed, as the call manager reports it (activities only).</summary>
    public const string FailureTag = "obelus.call.failure";

    /// <summary>Tag: the server's host (activities only).</summary>
    public const string ServerAddressTag = "server.address";

    /// <summary>Tag: the server's port (activities only).</summary>
    public const string ServerPortTag = "server.port";

    internal static ActivitySource Source { get; } = new(ActivitySourceName, typeof(ObelusAmiTelemetry).Assembly.GetName().Version?.ToString());
}
