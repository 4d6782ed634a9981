using Spectre.Console;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>A non-interactive console writing into a string, like the CLI's output when redirected.</summary>
internal sealed class CliConsole : IDisposable
{
    private readonly LockedStringWriter _writer = new();

    public CliConsole()
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_writer),
        });
    }

    public IAnsiConsole Console { get; }

    /// <summary>What a command wrote as its one-line failures (stderr).</summary>
    public StringWriter Error { get; } = new LockedStringWriter();

    public string Text => _writer.ToString();

    public void Dispose()
    {
        _writer.Dispose();
        Error.Dispose();
    }

    /// <summary>
    /// Waits until <paramref name="occurrence"/> lines of the output (or of stderr) match and returns the last
    /// of them; the timeout is a safety net only.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, bool onError = false, TimeSpan? safety = null, int occurrence = 1)
    {
        var writer = onError ? (LockedStringWriter)Error : _writer;
        using var deadline = new CancellationTokenSource(safety ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            // Taken before reading the text, so a write in between still wakes this loop.
            var next = writer.NextWrite;
            var text = writer.ToString();
            if (text.Split('\n').Where(match).Skip(occurrence - 1).FirstOrDefault() is { } line)
            {
                return line.Trim();
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching line in: {text}");
            }
        }
    }

    public IReadOnlyList<string> Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
