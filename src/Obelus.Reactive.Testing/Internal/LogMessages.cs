using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>The simulator's log lines (never with a secret in them).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Simulator session {SessionId} opened from {Remote}")]
    public static partial void SessionOpened(ILogger logger, int sessionId, string remote);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Simulator session {SessionId} closed")]
    public static partial void SessionClosed(ILogger logger, int sessionId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Simulator session {SessionId} received action {Action}")]
    public static partial void ActionReceived(ILogger logger, int sessionId, string action);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Simulator session {SessionId} received bad input: {Problem}")]
    public static partial void BadInput(ILogger logger, int sessionId, string problem);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Simulator session {SessionId} ended in the middle of an action: {Problem}")]
    public static partial void TruncatedInput(ILogger logger, int sessionId, string problem);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Simulator session {SessionId} refused login for user {Username}")]
    public static partial void LoginRefused(ILogger logger, int sessionId, string username);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Simulator session {SessionId} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, int sessionId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Simulator TCP accept loop stopped: {Problem}")]
    public static partial void AcceptFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Simulated Originate refused: channel id {Requested} is the beginning of live channel {Live}")]
    public static partial void ChannelIdInUse(ILogger logger, string requested, string live);
}
