using System.Globalization;
using Spectre.Console;

namespace Obelus.Reactive.Cli.Rendering;

/// <summary>
/// Shows a <see cref="CallBoard"/>: a table redrawn in place on an interactive terminal, one
/// plain line per change when output is redirected (logs, pipes, CI).
/// </summary>
internal sealed class CallTableRenderer
{
    private readonly IAnsiConsole _console;
    private readonly CallBoard _board;
    private readonly Func<DateTimeOffset> _now;

    public CallTableRenderer(IAnsiConsole console, CallBoard board, Func<DateTimeOffset> now)
    {
        _console = console;
        _board = board;
        _now = now;
    }

    /// <summary>True when the console can redraw a table in place.</summary>
    public bool IsLive => _console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>
    /// Renders until <paramref name="finished"/> completes (however it completes: the caller
    /// awaits it for its outcome), then draws the final table once more.
    /// </summary>
    public async Task RunAsync(Task finished, CancellationToken cancellationToken)
    {
        if (!IsLive)
        {
            _board.Changed += WriteLine;
            _board.StatusChanged += WriteStatus;
            try
            {
                await Task.WhenAny(finished).ConfigureAwait(false);
            }
            finally
            {
                _board.Changed -= WriteLine;
                _board.StatusChanged -= WriteStatus;
            }

            // A redirected console reports 80 columns; the final table reads better unwrapped.
            _console.Profile.Width = Math.Max(_console.Profile.Width, 150);
            _console.Write(BuildTable());
            return;
        }

        await _console.Live(BuildTable()).AutoClear(false).StartAsync(async context =>
        {
            while (!finished.IsCompleted)
            {
                context.UpdateTarget(BuildTable());
                await Task.WhenAny(finished, Task.Delay(200, cancellationToken)).ConfigureAwait(false);
            }

            context.UpdateTarget(BuildTable());
        }).ConfigureAwait(false);
    }

    /// <summary>The call table as it stands now.</summary>
    public Table BuildTable()
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]calls[/]");
        if (_board.Status is { } status)
        {
            table.Caption(Markup.Escape(status));
        }

        foreach (var column in (string[])["call", "direction", "caller / destination", "state", "dial status", "duration", "end cause"])
        {
            table.AddColumn(column);
        }

        var now = _now();
        foreach (var row in _board.Snapshot())
        {
            table.AddRow(
                Markup.Escape(TerminalText.Clean(row.CallId)),
                row.Direction.ToString().ToLowerInvariant(),
                Markup.Escape(row.Party),
                Markup.Escape(row.StateText),
                Markup.Escape(row.DialStatusText),
                FormatDuration(row.Duration(now)),
                Markup.Escape(row.EndText));
        }

        return table;
    }

    private void WriteLine(CallRow row)
    {
        var state = row.State;
        var line = string.Create(CultureInfo.InvariantCulture, $"{state.Timestamp:HH:mm:ss.fff} call {TerminalText.Clean(row.CallId)} {row.Direction.ToString().ToLowerInvariant()} {row.Party}: {state.Change}");
        if (state.ChannelState is not null && !state.IsTerminal)
        {
            line += $" state={(int)state.ChannelState.Value} {state.ChannelStateDescription}";
        }

        if (state.DialStatus is not null)
        {
            line += " dial=" + row.DialStatusText;
        }

        if (state.IsTerminal)
        {
            line += $" outcome={state.Outcome} duration={FormatDuration(row.Duration(_now()))}";
            if (row.EndText.Length > 0)
            {
                line += " (" + row.EndText + ")";
            }
        }

        _console.Profile.Out.Writer.WriteLine(line);
    }

    private void WriteStatus(string status) =>
        _console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_now():HH:mm:ss.fff} {status}"));

    private static string FormatDuration(TimeSpan duration) =>
        duration < TimeSpan.Zero ? "0.0s" : duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
