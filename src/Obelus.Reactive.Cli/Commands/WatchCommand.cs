using System.CommandLine;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Cli.Rendering;
using Obelus.Reactive.Client;
using Spectre.Console;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>Follows every call on a real Asterisk until Ctrl+C.</summary>
internal static class WatchCommand
{
    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var connection = new ConnectionSettings();
        var command = new Command("watch", "Follow every call on an Asterisk server until Ctrl+C");
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            await using var client = await AmiClient.ConnectAsync(connection.Read(parse), cancellationToken: cancellationToken).ConfigureAwait(false);
            using var manager = new CallManager(client);
            var board = new CallBoard();
            using var incoming = manager.IncomingCalls.Subscribe(call =>
            {
                var party = $"{call.CallerIdName} <{call.CallerIdNumber}> on {call.Channel}";
                call.States.Subscribe(state => board.Update(party, state), _ => { });
            });
            console.MarkupLine($"[grey]Connected to {Markup.Escape(client.Banner?.ToString() ?? "?")}; following calls until Ctrl+C.[/]");

            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = cancellationToken.Register(() => stopped.TrySetResult());
            using var closed = client.States.Subscribe(state =>
            {
                if (state.Status == AmiConnectionStatus.Closed)
                {
                    stopped.TrySetException(new AmiConnectionException("The connection closed: " + (state.Reason?.Message ?? "no reason given")));
                }
            });
            await new CallTableRenderer(console, board, () => DateTimeOffset.Now).RunAsync(stopped.Task, CancellationToken.None).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
