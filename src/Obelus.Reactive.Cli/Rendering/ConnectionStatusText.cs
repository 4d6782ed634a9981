using Obelus.Reactive.Cli.Commands;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Cli.Rendering;

/// <summary>One line on where a connection stands, naming the server: what <c>watch</c> shows under its table and <c>originate</c> prints.</summary>
internal static class ConnectionStatusText
{
    /// <summary>The line for <paramref name="state"/> of the connection to <paramref name="server"/> (<c>host:port</c>).</summary>
    public static string Describe(AmiConnectionState state, string server)
    {
        var reason = state.Reason is { } error ? ": " + CommandRunner.Innermost(error).Message : string.Empty;
        var text = state.Status switch
        {
            AmiConnectionStatus.Connecting when state.Attempt > 0 => $"connecting to {server} (attempt {state.Attempt})",
            AmiConnectionStatus.Connecting => $"connecting to {server}",
            AmiConnectionStatus.Connected => $"connected to {server}" + (state.Banner is { } banner ? $" ({banner})" : string.Empty),
            AmiConnectionStatus.Disconnected => $"connection to {server} lost{reason}",
            AmiConnectionStatus.Reconnecting => $"connection to {server} lost; reconnecting in {state.Delay.TotalSeconds:0.0} s (attempt {state.Attempt}){reason}",
            _ => $"connection to {server} closed{reason}",
        };
        return TerminalText.Clean(text);
    }
}
