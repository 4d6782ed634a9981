using System.Buffers;
using System.IO.Pipelines;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>A minimal AMI client over a pipe: writes actions, reads the banner and messages.</summary>
internal sealed class RawAmiClient(IDuplexPipe pipe) : IAsyncDisposable
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(10);
    private readonly AmiMessageReader _reader = new();
    private readonly Queue<AmiReadResult> _ready = new();
    private bool _ended;
    private int _nextId;

    public AmiBanner? Banner { get; private set; }

    /// <summary>Set when the server closed the connection in the middle of a message.</summary>
    public AmiProtocolException? Truncation { get; private set; }

    public async Task<AmiBanner> ReadBannerAsync()
    {
        var item = await ReadItemAsync();
        Assert.NotNull(item?.Banner);
        Banner = item!.Value.Banner;
        return Banner!;
    }

    public async Task SendAsync(AmiAction action)
    {
        AmiWriter.WriteAction(action, pipe.Output);
        await pipe.Output.FlushAsync().AsTask().WaitAsync(SafetyTimeout);
    }

    public Task SendAsync(string name, params (string Name, string Value)[] headers)
    {
        var action = new AmiAction(name) { ActionId = "t-" + (++_nextId) };
        foreach (var (n, v) in headers)
        {
            action.Add(n, v);
        }

        return SendAsync(action);
    }

    /// <summary>The next message, or null when the server closed the connection.</summary>
    public async Task<AmiMessage?> ReadAsync()
    {
        var item = await ReadItemAsync();
        if (item is null)
        {
            return null;
        }

        Assert.Null(item.Value.Error);
        return item.Value.Message;
    }

    /// <summary>Reads messages until one satisfies <paramref name="last"/> (included).</summary>
    public async Task<List<AmiMessage>> ReadUntilAsync(Func<AmiMessage, bool> last)
    {
        var messages = new List<AmiMessage>();
        while (await ReadAsync() is { } message)
        {
            messages.Add(message);
            if (last(message))
            {
                return messages;
            }
        }

        throw new InvalidOperationException("The connection ended before the expected message; got: " + string.Join(", ", messages.Select(Describe)));
    }

    /// <summary>Reads until the response to <paramref name="actionId"/>; returns everything read.</summary>
    public Task<List<AmiMessage>> ReadUntilResponseAsync(string actionId) =>
        ReadUntilAsync(m => m is AmiResponse && m.ActionId == actionId);

    /// <summary>Reads everything until the server closes the connection.</summary>
    public async Task<List<AmiMessage>> ReadToEndAsync()
    {
        var messages = new List<AmiMessage>();
        while (await ReadAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>Logs in with the simulator's default credentials and reads the login's events.</summary>
    public async Task LoginAsync(string username = "obelus", string secret = "obelus")
    {
        await ReadBannerAsync();
        await SendAsync(new AmiAction("Login") { ActionId = "login" }.Add("Username", username).Add("Secret", secret));
        await ReadUntilAsync(m => m is AmiEvent e && e.Is("SuccessfulAuth"));
    }

    public static string Describe(AmiMessage message) => message switch
    {
        AmiEvent e => e.Name,
        AmiResponse r => "Response:" + r.Status,
        _ => message.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await pipe.Output.CompleteAsync();
        await pipe.Input.CompleteAsync();
    }

    private async Task<AmiReadResult?> ReadItemAsync()
    {
        while (_ready.Count == 0)
        {
            if (_ended)
            {
                return null;
            }

            var read = await pipe.Input.ReadAsync().AsTask().WaitAsync(SafetyTimeout);
            var buffer = read.Buffer;
            while (_reader.TryRead(ref buffer, out var item))
            {
                _ready.Enqueue(item);
            }

            if (read.IsCompleted)
            {
                Truncation = _reader.Complete(buffer);
                _ended = true;
            }

            pipe.Input.AdvanceTo(buffer.Start, buffer.End);
        }

        var next = _ready.Dequeue();
        return next.Banner is null && next.Message is null && next.Error is null ? null : next;
    }
}
