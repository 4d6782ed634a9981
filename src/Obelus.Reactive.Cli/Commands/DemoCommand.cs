using System.CommandLine;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Cli.Rendering;
using Obelus.Reactive.Client;
using Obelus.Reactive.Testing;
using Spectre.Console;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// The main job: an embedded simulated Asterisk on loopback TCP, the real client and
/// CallManager connected to it, a handful of calls with every outcome, incoming calls
/// arriving meanwhile, all shown live.
/// </summary>
internal static class DemoCommand
{
    /// <summary>One destination of the demo's dialplan, with what the table shows for it.</summary>
    private sealed record Destination(string Channel, string Label);

    // One of each outcome first, so even a short demo shows them all.
    private static readonly Destination[] Destinations =
    [
        new("Local/answer@default", "answer"),
        new("Local/busy@default", "busy"),
        new("Local/noanswer@default", "no answer"),
        new("Local/congestion@default", "congestion"),
        new("Local/dial@default", "dial chain"),
        new("Local/999@nonexistent", "bad extension"),
    ];

    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var command = new Command("demo", "Originate and follow calls on an embedded simulated Asterisk (the default command)");
        Configure(command, console, error);
        return command;
    }

    /// <summary>Adds the demo's options and action to <paramref name="command"/> (also used by the root command).</summary>
    public static void Configure(Command command, IAnsiConsole console, TextWriter error)
    {
        // Fresh options per command: the root and the demo subcommand each own theirs.
        var calls = OptionRules.WholeNumber("--calls", "How many calls to originate", 6, 0, 1000);
        var seconds = OptionRules.Number("--seconds", "Over how many seconds to spread the calls (incoming ones too)", 6, 0, 3600);
        var seed = OptionRules.WholeNumber("--seed", "Seed for destinations, timings and caller ids (same seed, same demo)", 1, 0, int.MaxValue);
        command.Options.Add(calls);
        command.Options.Add(seconds);
        command.Options.Add(seed);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, server: null, () =>
            RunAsync(console, parse.GetValue(calls), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(seed), cancellationToken)));
    }

    public static async Task<int> RunAsync(IAnsiConsole console, int calls, TimeSpan spread, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Seed = seed });
        var endpoint = await simulator.StartTcpAsync(0, cancellationToken).ConfigureAwait(false);
        console.MarkupLine(CultureInfo.InvariantCulture, "[grey]Simulated Asterisk listening on 127.0.0.1:{0}; connecting as '{1}'.[/]", endpoint.Port, Markup.Escape(simulator.Options.Username));

        var clientOptions = new AmiClientOptions
        {
            Host = "127.0.0.1",
            Port = endpoint.Port,
            Username = simulator.Options.Username,
            Secret = simulator.Options.Secret,
        };
        await using var client = await AmiClient.ConnectAsync(clientOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var manager = new CallManager(client);
        await manager.SetupFiltersAsync(cancellationToken).ConfigureAwait(false);
        console.MarkupLine(CultureInfo.InvariantCulture, "[grey]Logged in ({0}); tracking variable {1}.[/]", Markup.Escape(TerminalText.Clean(client.Banner?.ToString() ?? "?")), manager.TrackingVariable);

        var board = new CallBoard();
        var incomingCount = calls == 0 ? 0 : Math.Max(1, calls / 3);
        var incomingSeen = 0;
        var allIncomingSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (incomingCount == 0)
        {
            allIncomingSeen.SetResult();
        }

        using var incoming = manager.IncomingCalls.Subscribe(call =>
        {
            var party = $"{call.CallerIdName} <{call.CallerIdNumber}>";
            var ended = call.States.Do(state => board.Update(party, state)).LastOrDefaultAsync();
            _ = ended.Subscribe(_ =>
            {
                if (Interlocked.Increment(ref incomingSeen) == incomingCount)
                {
                    allIncomingSeen.TrySetResult();
                }
            });
        });

        var originated = new List<Task<CallState?>>();
        for (var i = 0; i < calls; i++)
        {
            var destination = i < Destinations.Length ? Destinations[(i + seed) % Destinations.Length] : Destinations[random.Next(Destinations.Length)];
            var due = calls <= 1 ? TimeSpan.Zero : spread * i / calls;
            var request = new OriginateRequest
            {
                Channel = destination.Channel,
                Context = "default",
                Exten = "100",
                Priority = 1,
                CallerId = $"\"Obelus demo\" <{7000 + i}>",
                Timeout = TimeSpan.FromSeconds(4),
            };
            var party = $"{destination.Channel} ({destination.Label})";
            originated.Add(Observable.Timer(due)
                .SelectMany(_ => manager.Originate(request))
                .Do(state => board.Update(party, state))
                .Select(state => (CallState?)state)
                .LastOrDefaultAsync()
                .ToTask(cancellationToken));
        }

        for (var i = 0; i < incomingCount; i++)
        {
            var due = TimeSpan.FromMilliseconds(random.NextDouble() * spread.TotalMilliseconds);
            var callerId = $"\"Caller {i + 1}\" <555{random.Next(1000, 9999)}>";
            var answer = random.Next(4) != 0;
            var talk = TimeSpan.FromMilliseconds(random.Next(800, 2500));
            simulator.Scheduler.Schedule(due, () => simulator.SimulateIncomingCall(callerId, "900", answer, talk));
        }

        var renderer = new CallTableRenderer(console, board, () => DateTimeOffset.Now);
        var finished = Task.WhenAll(Task.WhenAll(originated), allIncomingSeen.Task);
        var limit = spread + TimeSpan.FromSeconds(60);
        var everything = finished.WaitAsync(limit, cancellationToken);
        try
        {
            await renderer.RunAsync(everything, cancellationToken).ConfigureAwait(false);
            await everything.ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            console.MarkupLine(CultureInfo.InvariantCulture, "[red]Not every call ended within {0:0} s; {1} still live.[/]", limit.TotalSeconds, board.LiveCount);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WriteSummary(console, board);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Interrupted with {board.LiveCount} call(s) still live."));
            return ExitCodes.Interrupted;
        }

        WriteSummary(console, board);
        return ExitCodes.Success;
    }

    private static void WriteSummary(IAnsiConsole console, CallBoard board)
    {
        var rows = board.Snapshot();
        var outgoing = rows.Count(r => r.Direction == CallDirection.Outgoing);
        var parts = board.OutcomeCounts().Select(c => $"{c.Outcome} {c.Count}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Summary: {rows.Count} calls ({outgoing} outgoing, {rows.Count - outgoing} incoming): {string.Join(", ", parts)}."));
    }
}
