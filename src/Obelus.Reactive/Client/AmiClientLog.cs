using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Client;

/// <summary>The client's log messages. Actions are logged through <c>AmiAction.ToString()</c>, which hides secrets.</summary>
internal static partial class AmiClientLog
{
    [LoggerMessage(1, LogLevel.Debug, "AMI action sent as ActionID {ActionId}: {Action}")]
    public static partial void ActionSent(ILogger logger, string actionId, string action);

    [LoggerMessage(2, LogLevel.Warning, "AMI response with unknown ActionID '{ActionId}' ignored ({Status}); {Suppressed} more like it not logged before this one")]
    public static partial void UnknownResponse(ILogger logger, string? actionId, string status, long suppressed);

    [LoggerMessage(3, LogLevel.Warning, "AMI protocol error; the connection goes on; {Suppressed} more not logged before this one")]
    public static partial void ProtocolError(ILogger logger, long suppressed, Exception error);

    [LoggerMessage(17, LogLevel.Warning, "AMI client disposal waited {Timeout} for Events subscription #{Subscriber}: {Dropped} queued event(s) dropped ({Total} dropped in all); it completes once its handler returns")]
    public static partial void DisposeAbandonedSubscriber(ILogger logger, long subscriber, TimeSpan timeout, long dropped, long total);

    [LoggerMessage(16, LogLevel.Warning, "More than {PerMinute} AMI {What} within a minute: the rest of that minute's are counted, not logged")]
    public static partial void WarningsSuppressed(ILogger logger, int perMinute, string what);

    [LoggerMessage(4, LogLevel.Warning, "An AMI subscriber threw; it has been unsubscribed and delivery goes on")]
    public static partial void SubscriberThrew(ILogger logger, Exception error);

    [LoggerMessage(5, LogLevel.Warning, "AMI protocol-error buffer full: {Dropped} item(s) dropped so far in all (capacity {Capacity}, DropOldest)")]
    public static partial void EventsDropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(6, LogLevel.Information, "AMI connected to {Banner} as '{Username}'")]
    public static partial void Connected(ILogger logger, string banner, string username);

    [LoggerMessage(7, LogLevel.Warning, "AMI connection lost")]
    public static partial void ConnectionLost(ILogger logger, Exception reason);

    [LoggerMessage(8, LogLevel.Information, "AMI reconnect attempt {Attempt} in {Delay}")]
    public static partial void ReconnectScheduled(ILogger logger, int attempt, TimeSpan delay);

    [LoggerMessage(9, LogLevel.Warning, "AMI reconnect attempt {Attempt} failed")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, Exception error);

    [LoggerMessage(10, LogLevel.Error, "AMI client closed")]
    public static partial void ClosedWithError(ILogger logger, Exception reason);

    [LoggerMessage(11, LogLevel.Warning, "AMI keep-alive Ping unanswered within {Timeout} while the read loop waits for room in the event buffer; not treating the connection as dead")]
    public static partial void KeepAliveBackpressure(ILogger logger, TimeSpan timeout);

    [LoggerMessage(12, LogLevel.Debug, "AMI Logoff during disposal did not complete")]
    public static partial void LogoffFailed(ILogger logger, Exception error);

    [LoggerMessage(13, LogLevel.Warning, "A States subscriber threw; it has been unsubscribed")]
    public static partial void StateSubscriberThrew(ILogger logger, Exception error);

    [LoggerMessage(14, LogLevel.Warning, "An Events subscriber threw (subscription #{Subscriber}); it has been unsubscribed and the others go on")]
    public static partial void EventSubscriberThrew(ILogger logger, long subscriber, Exception error);

    [LoggerMessage(15, LogLevel.Warning, "AMI Events subscription #{Subscriber} is behind, its queue is full: {Dropped} event(s) dropped so far for it, {Total} in all (capacity {Capacity}, DropOldest)")]
    public static partial void SubscriberEventsDropped(ILogger logger, long subscriber, long dropped, long total, int capacity);

    [LoggerMessage(16, LogLevel.Warning, "Virtual time went on after waiting {Timeout} for the in-memory client and simulator to finish what was in flight (still busy: {Busy}); an observer that blocks its thread makes such a test slow and its timing uncertain")]
    public static partial void SettleTimedOut(ILogger logger, TimeSpan timeout, string busy);
}
