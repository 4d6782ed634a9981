using System.CommandLine;
using Obelus.Reactive.Cli.Commands;
using Spectre.Console;

namespace Obelus.Reactive.Cli;

/// <summary>The <c>obelus</c> command: demo (default), originate, watch, simulate, replay.</summary>
public static class Program
{
    /// <summary>Runs the command line; the exit code follows .NET conventions (0 success, 1 failure, 2 usage is reported by the parser).</summary>
    public static Task<int> Main(string[] args) => BuildRoot(AnsiConsole.Console, Console.Error).Parse(args).InvokeAsync();

    /// <summary>The whole command tree, writing results to <paramref name="console"/> and one-line failures to <paramref name="error"/>.</summary>
    internal static RootCommand BuildRoot(IAnsiConsole console, TextWriter error)
    {
        var root = new RootCommand("obelus: follow Asterisk calls as they happen. With no command, runs the demo on an embedded simulated Asterisk.");
        DemoCommand.Configure(root, console);
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(OriginateCommand.Create(console, error));
        root.Subcommands.Add(WatchCommand.Create(console, error));
        root.Subcommands.Add(SimulateCommand.Create(console));
        root.Subcommands.Add(ReplayCommand.Create(console, error));
        return root;
    }
}
