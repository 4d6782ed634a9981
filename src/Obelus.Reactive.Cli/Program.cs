using System.CommandLine;
using System.CommandLine.Help;
using Obelus.Reactive.Cli.Commands;
using Obelus.Reactive.Cli.Rendering;
using Spectre.Console;

namespace Obelus.Reactive.Cli;

/// <summary>The <c>obelus</c> command: demo (default), originate, watch, simulate, replay.</summary>
public static class Program
{
    /// <summary>Runs the command line; the exit codes are listed in docs/cli.md (0 done, 1 failed, 2 usage error, 3-9 call outcomes, 130 interrupted).</summary>
    public static async Task<int> Main(string[] args)
    {
        using var interrupt = new InterruptSignal();
        return await RunAsync(args, AnsiConsole.Console, Console.Error, interrupt.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A usage error is one line on <paramref name="error"/>
    /// and <see cref="ExitCodes.Usage"/>; <paramref name="interrupted"/> (Ctrl+C) asks the command to stop cleanly.
    /// </summary>
    internal static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, TextWriter error, CancellationToken interrupted)
    {
        var root = BuildRoot(console, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var command = parse.CommandResult.Command;
            var help = command == root ? "obelus --help" : $"obelus {command.Name} --help";
            await error.WriteLineAsync($"obelus: {TerminalText.Clean(parse.Errors[0].Message)} (see '{help}')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Signals are handled by the caller (Main), so that the commands' own shutdown paths run.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false, Error = error };
        try
        {
            return await parse.InvokeAsync(configuration, interrupted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not a user error: still one line, with the exception's kind to report it by.
            await error.WriteLineAsync($"obelus: unexpected {e.GetType().Name}: {TerminalText.Clean(e.Message.ReplaceLineEndings(" "))}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    /// <summary>The whole command tree, writing results to <paramref name="console"/> and one-line failures to <paramref name="error"/>.</summary>
    internal static RootCommand BuildRoot(IAnsiConsole console, TextWriter error)
    {
        var root = new RootCommand("obelus: follow Asterisk calls as they happen. With no command, runs the demo on an embedded simulated Asterisk.");
        DemoCommand.Configure(root, console, error);
        root.Subcommands.Add(DemoCommand.Create(console, error));
        root.Subcommands.Add(OriginateCommand.Create(console, error));
        root.Subcommands.Add(WatchCommand.Create(console, error));
        root.Subcommands.Add(SimulateCommand.Create(console, error));
        root.Subcommands.Add(ReplayCommand.Create(console, error));
        return root;
    }
}
