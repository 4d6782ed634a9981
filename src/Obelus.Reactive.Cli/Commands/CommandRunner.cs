using System.Net.Sockets;
using System.Security.Authentication;
using Obelus.Reactive.Cli.Rendering;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// Runs a command body and turns the failures a user can meet (cannot connect, login refused,
/// action refused, bad input) into one line on stderr and an exit code from <see cref="ExitCodes"/>.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="body"/>; <paramref name="server"/> (<c>host:port</c>) names the server in messages.</summary>
    public static async Task<int> RunAsync(TextWriter error, string? server, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CommandFailedException e)
        {
            await error.WriteLineAsync("obelus: " + TerminalText.Clean(e.Message)).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("obelus: interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is AmiException or SocketException or IOException or AuthenticationException or InvalidOperationException or ArgumentException or TimeoutException)
        {
            await error.WriteLineAsync("obelus: " + Describe(e, server ?? "the server")).ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    /// <summary>One line for <paramref name="e"/>, naming <paramref name="server"/>, without exception or parameter names.</summary>
    public static string Describe(Exception e, string server)
    {
        var message = e switch
        {
            AmiAuthenticationException auth => $"login to {server} refused: {auth.ServerMessage ?? "no reason given"}",
            AmiActionException action => $"{server} refused the {action.ActionName} action: {action.Response.Message ?? "no reason given"}",
            AmiTimeoutException => $"no answer from {server} in time: {e.Message}",
            AmiConnectionException or SocketException or IOException or AuthenticationException => $"cannot connect to {server}: {Innermost(e).Message}",
            ArgumentException argument when argument.ParamName is { } name => argument.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal),
            _ => e.Message,
        };
        return TerminalText.Clean(message.ReplaceLineEndings(" "));
    }

    /// <summary>The exception at the bottom of <paramref name="e"/>'s chain: the socket or TLS error under the client's wrapping.</summary>
    public static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }
}
