using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.WorkerSample;

/// <summary>The sample's log messages, generated so that nothing is formatted when the level is off.</summary>
internal static partial class SampleLog
{
    [LoggerMessage(1, LogLevel.Information, "{Channel}: {Change} {State}")]
    public static partial void CallChanged(ILogger logger, string channel, string change, string? state);

    [LoggerMessage(2, LogLevel.Information, "{Channel} ended: {Outcome} (cause {Cause})")]
    public static partial void CallEnded(ILogger logger, string channel, string? outcome, string cause);

    [LoggerMessage(3, LogLevel.Information, "Health: {Status}; {Description}")]
    public static partial void Health(ILogger logger, string status, string description);

    [LoggerMessage(4, LogLevel.Error, "The sample calls failed")]
    public static partial void Failed(ILogger logger, Exception error);

    [LoggerMessage(5, LogLevel.Information, "Trace {Name} {Duration} s {Status}: {Tags}")]
    public static partial void Trace(ILogger logger, string name, double duration, string status, string tags);

    [LoggerMessage(6, LogLevel.Information, "Metric {Key} = {Value}")]
    public static partial void Metric(ILogger logger, string key, double value);
}
