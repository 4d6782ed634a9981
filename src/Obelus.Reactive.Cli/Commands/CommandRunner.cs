using System.Net.Sockets;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// Runs a command body and turns the failures a user can cause (cannot connect, login refused,
/// action refused, bad input) into one line on stderr and a non-zero exit code.
/// </summary>
internal static class CommandRunner
{
    public const int Failed = 1;

    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmiException or SocketException or CommandFailedException or InvalidOperationException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync("obelus: " + OneLine(e)).ConfigureAwait(false);
            return Failed;
        }
    }

    private static string OneLine(Exception e)
    {
        var message = e switch
        {
            AmiAuthenticationException auth => "login refused: " + auth.Message,
            AmiConnectionException connection => "cannot connect: " + (connection.InnerException?.Message ?? connection.Message),
            SocketException socket => "cannot connect: " + socket.Message,
            _ => e.Message,
        };
        return message.ReplaceLineEndings(" ");
    }
}
