using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Cli.Rendering;

/// <summary>
/// The library's log as plain lines on stderr (<c>--log-level</c>): level, category, message and,
/// for a failure, the exception's message. Server text in messages is neutralised like any other.
/// </summary>
internal sealed class StderrLogger : ILogger
{
    private readonly TextWriter _error;
    private readonly LogLevel _minimum;
    private readonly Lock _gate = new();

    public StderrLogger(TextWriter error, LogLevel minimum)
    {
        _error = error;
        _minimum = minimum;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = $"obelus: {DateTimeOffset.Now:HH:mm:ss.fff} {Name(logLevel)} {TerminalText.Clean(formatter(state, exception))}";
        if (exception is not null)
        {
            line += " (" + TerminalText.Clean(exception.Message) + ")";
        }

        lock (_gate)
        {
            _error.WriteLine(line);
        }
    }

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };
}
