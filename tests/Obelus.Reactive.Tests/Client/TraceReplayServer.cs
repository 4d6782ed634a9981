using System.Text;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Tests.Client;

/// <summary>
/// Replays a real capture (<c>Traces/NAME.in.ami</c>) to a client, one piece per action: the
/// greeting at once, then for each action received the response with its ActionID and every
/// message after it up to the next response, byte for byte as Asterisk sent them.
/// </summary>
internal sealed class TraceReplayServer : IDisposable
{
    private readonly FakeAmiServer _server = new(autoLogin: false);
    private readonly Dictionary<string, string> _pieces = new(StringComparer.Ordinal);

    public TraceReplayServer(string name)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Traces", name + ".in.ami"), Encoding.UTF8);
        var bannerEnd = text.IndexOf("\r\n", StringComparison.Ordinal) + 2;
        Banner = text[..bannerEnd];
        string? current = null;
        foreach (var message in text[bannerEnd..].Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (message.StartsWith("Response:", StringComparison.Ordinal))
            {
                current = message.Split("\r\n").First(l => l.StartsWith("ActionID: ", StringComparison.Ordinal))["ActionID: ".Length..];
                _pieces[current] = string.Empty;
            }

            if (current is not null)
            {
                _pieces[current] += message + "\r\n\r\n";
            }
        }

        Replay = Task.Run(ReplayAsync);
    }

    public string Banner { get; }

    public IAmiTransport Transport => AmiTransport.FromPipe(async _ =>
    {
        await _server.SendRawAsync(Banner);
        return _server.ClientPipe;
    });

    public IReadOnlyList<Obelus.Reactive.Protocol.AmiRequest> Received => _server.Received;

    /// <summary>Ends when the client closes its side; faults on an action the capture has no answer for.</summary>
    public Task Replay { get; }

    public void Dispose() => _server.Dispose();

    private async Task ReplayAsync()
    {
        while (true)
        {
            Obelus.Reactive.Protocol.AmiRequest action;
            try
            {
                action = await _server.NextActionAsync();
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                return;
            }

            if (!_pieces.TryGetValue(action.ActionId ?? "", out var piece))
            {
                throw new InvalidOperationException($"The capture has no answer for ActionID {action.ActionId}.");
            }

            await _server.SendRawAsync(piece);
            if (piece.StartsWith("Response: Goodbye", StringComparison.Ordinal))
            {
                await _server.CloseAsync();
            }
        }
    }
}
