using Microsoft.Extensions.Logging;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>Log messages of the call layer (source-generated, no allocation when disabled).</summary>
internal static partial class CallLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "VarSet of {Variable} on channel {UniqueId} carries unknown call id '{Value}'; ignored")]
    private static partial void UnknownTrackingValueCore(ILogger logger, string variable, string uniqueId, string value);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "VarSet of {Variable} on channel {UniqueId} names call {CallId}, which has ended; ignored")]
    private static partial void TrackingValueOfEndedCallCore(ILogger logger, string variable, string uniqueId, string callId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Channel {UniqueId} already belongs to call {OwnerCallId}; VarSet for call {CallId} ignored")]
    private static partial void ChannelAlreadyBoundCore(ILogger logger, string uniqueId, string ownerCallId, string callId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "{EventName} without {Header}; ignored")]
    private static partial void MissingHeaderCore(ILogger logger, string eventName, string header);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "OriginateResponse with ActionID '{ActionId}' is not ours; ignored")]
    private static partial void UnknownOriginateResponseCore(ILogger logger, string? actionId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Originate result for call serial {Serial} arrived after the call ended; ignored")]
    public static partial void LateOriginateResult(ILogger logger, long serial);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "No response to the Originate of call {CallId} in time, but its channels are live; tracking it as accepted")]
    public static partial void ResponseLateButBound(ILogger logger, string callId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Call {CallId} ({Direction}) {Change}, outcome {Outcome}")]
    public static partial void CallFinished(ILogger logger, string callId, CallDirection direction, CallChange change, CallOutcome outcome);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Connection lost: {Count} live call(s) end with outcome Lost")]
    public static partial void ConnectionLost(ILogger logger, int count);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "A call observer threw; the call layer goes on")]
    public static partial void ObserverThrew(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "The call fold failed on an input; the input is skipped")]
    public static partial void FoldFault(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Could not add the event filters again after a reconnect; the session receives every event")]
    public static partial void FiltersNotRestored(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Connection lost: {Count} live call(s) wait up to {Grace} for a new login")]
    public static partial void WaitingForReconnect(ILogger logger, int count, TimeSpan grace);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Information, Message = "Re-synchronised after a reconnect: {Listed} channel(s) listed, {Vanished} gone meanwhile, {Ended} call(s) ended while disconnected")]
    public static partial void Resynchronised(ILogger logger, int listed, int vanished, int ended);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Warning, Message = "Could not re-synchronise calls after a reconnect")]
    public static partial void ResyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Hangup of unknown channel {UniqueId}; ignored")]
    private static partial void UnknownHangupCore(ILogger logger, string uniqueId);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "{Count} event(s) were dropped before reaching the call manager; re-synchronising its calls with Status")]
    public static partial void EventsMissed(ILogger logger, long count);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "{Limit} calls are followed already: call {CallId} is not ({Refused} refused so far; see MaxTrackedCalls)")]
    public static partial void CallLimitReached(ILogger logger, int limit, string callId, long refused);

    /// <summary>Logs with the server's text escaped and cut (<see cref="LogText"/>), only when the level is on.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Justification = "Guarded by IsEnabled at the message's own level just above.")]
    public static void UnknownTrackingValue(ILogger logger, string variable, string uniqueId, string value)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            UnknownTrackingValueCore(logger, variable, LogText.Clean(uniqueId), LogText.Clean(value));
        }
    }

    /// <summary>Logs with the server's text escaped and cut (<see cref="LogText"/>), only when the level is on.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Justification = "Guarded by IsEnabled at the message's own level just above.")]
    public static void TrackingValueOfEndedCall(ILogger logger, string variable, string uniqueId, string callId)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            TrackingValueOfEndedCallCore(logger, variable, LogText.Clean(uniqueId), callId);
        }
    }

    /// <summary>Logs with the server's text escaped and cut (<see cref="LogText"/>), only when the level is on.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Justification = "Guarded by IsEnabled at the message's own level just above.")]
    public static void ChannelAlreadyBound(ILogger logger, string uniqueId, string ownerCallId, string callId)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            ChannelAlreadyBoundCore(logger, LogText.Clean(uniqueId), ownerCallId, callId);
        }
    }

    /// <summary>Logs with the server's text escaped and cut (<see cref="LogText"/>), only when the level is on.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Justification = "Guarded by IsEnabled at the message's own level just above.")]
    public static void MissingHeader(ILogger logger, string eventName, string header)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            MissingHeaderCore(logger, LogText.Clean(eventName), header);
        }
    }

    /// <summary>Logs with the server's text escaped and cut (<see cref="LogText"/>), only when the level is on.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Justification = "Guarded by IsEnabled at the message's own level just above.")]
    public static void UnknownOriginateResponse(ILogger logger, string? actionId)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            UnknownOriginateResponseCore(logger, LogText.Clean(actionId));
        }
    }

    /// <summary>Logs with the server's text escaped and cut (<see cref="LogText"/>), only when the level is on.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging", Justification = "Guarded by IsEnabled at the message's own level just above.")]
    public static void UnknownHangup(ILogger logger, string uniqueId)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            UnknownHangupCore(logger, LogText.Clean(uniqueId));
        }
    }
}
