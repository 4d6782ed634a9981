using System.CommandLine;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Cli.Rendering;
using Obelus.Reactive.Client;
using Spectre.Console;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// Follows the calls on a real Asterisk until Ctrl+C, reconnecting when the connection is lost
/// and showing where the connection stands.
/// </summary>
internal static class WatchCommand
{
    /// <summary>Exactly what is shown: the CallManager's incoming calls.</summary>
    public const string WhatIsShown =
        "calls that start on a phone or trunk channel (any channel but Local), whoever placed them; "
        + "a call whose first channel is a Local channel (an Originate to Local/..., say) is not shown";

    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var connection = new ConnectionSettings(reconnectByDefault: true);
        var command = new Command(
            "watch",
            $"Follow the calls on an Asterisk server until Ctrl+C, reconnecting when the connection is lost. Shows {WhatIsShown}.");
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            CommandRunner.RunAsync(error, connection.Server(parse), () => RunAsync(console, error, connection, parse, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole console, TextWriter error, ConnectionSettings connection, ParseResult parse, CancellationToken stop)
    {
        var server = connection.Server(parse);
        var options = connection.Read(parse);
        var logger = connection.Logger(parse, error);
        var client = await AmiClient.ConnectAsync(options, connection.Transport(parse), logger: logger, cancellationToken: stop).ConfigureAwait(false);
        var board = new CallBoard();
        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            using var manager = new CallManager(client, logger: logger);
            board.Status = ConnectionStatusText.Describe(client.State, server);
            console.MarkupLine($"[grey]{Markup.Escape(board.Status)}; showing {Markup.Escape(WhatIsShown)}. Ctrl+C stops.[/]");

            // The renderer listens to the board before anything can change it: a connection lost
            // (or a call begun) right after the line above is shown, not missed.
            var rendering = new CallTableRenderer(console, board, () => DateTimeOffset.Now).RunAsync(exit.Task, CancellationToken.None);
            try
            {
                using var incoming = manager.IncomingCalls.Subscribe(call =>
                {
                    var party = $"{call.CallerIdName} <{call.CallerIdNumber}> on {call.Channel}";
                    call.States.Subscribe(state => board.Update(party, state), _ => { });
                });
                using var interrupted = stop.Register(() => exit.TrySetResult(ExitCodes.Success));
                using var states = client.States.Subscribe(state =>
                {
                    board.Status = ConnectionStatusText.Describe(state, server);
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    if (state.Status == AmiConnectionStatus.Closed)
                    {
                        // Login refused on a reconnect, or reconnecting given up: nothing more will come.
                        var why = state.Reason is { } reason ? CommandRunner.Describe(reason, server) : $"connection to {server} closed";
                        exit.TrySetException(new CommandFailedException(why));
                    }
                    else if (state.Status == AmiConnectionStatus.Disconnected && options.Reconnect is null)
                    {
                        exit.TrySetException(new CommandFailedException(ConnectionStatusText.Describe(state, server) + " (--no-reconnect)"));
                    }
                });
                await rendering.ConfigureAwait(false);
            }
            catch (Exception ex) when (!exit.Task.IsCompleted)
            {
                // Ends the renderer, which waits for the exit, before the client goes.
                exit.TrySetException(ex);
                await rendering.ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            // Logs off when still connected.
            await client.DisposeAsync().ConfigureAwait(false);
        }

        var code = await exit.Task.ConfigureAwait(false);
        console.WriteLine("Stopped.");
        return code;
    }
}
