using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Hosting.Lifecycle;

/// <summary>The hosting package's log messages. Settings are logged only through their redacting <c>ToString</c>.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information, "AMI connection '{Name}' starting: {Settings}")]
    public static partial void Starting(ILogger logger, string name, string settings);

    [LoggerMessage(2, LogLevel.Information, "AMI connection '{Name}' logged in")]
    public static partial void Started(ILogger logger, string name);

    [LoggerMessage(3, LogLevel.Warning, "AMI connection '{Name}' could not connect at start-up; attempt {Attempt} in {Delay}")]
    public static partial void StartupRetryScheduled(ILogger logger, string name, int attempt, TimeSpan delay, Exception error);

    [LoggerMessage(4, LogLevel.Error, "AMI connection '{Name}' could not connect at start-up and will not retry ({Why}); the health check reports it")]
    public static partial void StartupGivenUp(ILogger logger, string name, string why, Exception error);

    [LoggerMessage(6, LogLevel.Information, "AMI connection '{Name}' logged off and closed")]
    public static partial void Stopped(ILogger logger, string name);

    [LoggerMessage(7, LogLevel.Warning, "AMI connection '{Name}' did not finish logging off before the host's shutdown timeout; it goes on closing in the background")]
    public static partial void StopTimedOut(ILogger logger, string name);

    [LoggerMessage(8, LogLevel.Warning, "AMI connection '{Name}': adding the call manager's event filters failed; events are not filtered on the server")]
    public static partial void FiltersFailed(ILogger logger, string name, Exception error);
}
