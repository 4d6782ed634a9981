using Spectre.Console;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>A non-interactive console writing into a string, like the CLI's output when redirected.</summary>
internal sealed class CliConsole : IDisposable
{
    private readonly StringWriter _writer = new();

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
    public StringWriter Error { get; } = new();

    public string Text => _writer.ToString();

    public void Dispose()
    {
        _writer.Dispose();
        Error.Dispose();
    }

    public IReadOnlyList<string> Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
