using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Tests.Client;

/// <summary>
/// The server end of an in-memory connection: reads the client's actions with the real parser
/// and writes scripted bytes back. Login and Logoff can be answered automatically; every other
/// action is queued for the test to inspect and answer.
/// </summary>
internal sealed class FakeAmiServer : IDisposable
{
    /// <summary>
    /// How long a test waits for something that should happen at once before it fails. Only a
    /// failing test ever waits it out; it is long because the suites run side by side on two
    /// cores, where a continuation can wait seconds for a thread.
    /// </summary>
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly Channel<AmiRequest> _actions = Channel.CreateUnbounded<AmiRequest>();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<AmiRequest> _received = [];

    public FakeAmiServer(bool autoLogin = true)
    {
        AutoLogin = autoLogin;
        ClientPipe = new DuplexPipe(_toClient.Reader, _toServer.Writer);
        ReadLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>The pipe to hand to the client.</summary>
    public IDuplexPipe ClientPipe { get; }

    public bool AutoLogin { get; set; }

    /// <summary>Answer Ping with Pong automatically.</summary>
    public bool AutoPong { get; set; }

    /// <summary>Ends when the client closes its side.</summary>
    public Task ReadLoop { get; }

    /// <summary>Every action received, in order (auto-answered ones included).</summary>
    public IReadOnlyList<AmiRequest> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    public async Task<AmiRequest> NextActionAsync()
    {
        return await _actions.Reader.ReadAsync().AsTask().WaitAsync(Safety);
    }

    public Task SendBannerAsync(string version = "11.0.0") => SendRawAsync($"Asterisk Call Manager/{version}\r\n");

    /// <summary>Writes <paramref name="text"/> as is (use CRLF line ends).</summary>
    public async Task SendRawAsync(string text)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _toClient.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task SendAsync(AmiMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        AmiWriter.WriteMessage(message, buffer);
        return SendRawAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public Task RespondAsync(AmiRequest request, string status, params (string Name, string Value)[] headers) =>
        SendAsync(AmiResponse.Create(status, [("ActionID", request.ActionId ?? ""), .. headers]));

    public Task SendEventAsync(string name, params (string Name, string Value)[] headers) =>
        SendAsync(AmiEvent.Create(name, headers));

    /// <summary>Ends the stream towards the client (the client reads EOF).</summary>
    public async Task CloseAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            await _toClient.Writer.CompleteAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose() => _writeLock.Dispose();

    private async Task ReadLoopAsync()
    {
        var parser = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = false });
        var input = _toServer.Reader;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            while (parser.TryRead(ref buffer, out var item))
            {
                if (item.Message is AmiRequest request)
                {
                    lock (_received)
                    {
                        _received.Add(request);
                    }

                    if (!await AutoAnswerAsync(request))
                    {
                        _actions.Writer.TryWrite(request);
                    }
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await input.CompleteAsync();
        _actions.Writer.TryComplete();
    }

    private async Task<bool> AutoAnswerAsync(AmiRequest request)
    {
        switch (request.Name)
        {
            case "Login" when AutoLogin:
                await RespondAsync(request, "Success", ("Message", "Authentication accepted"));
                return true;
            case "Logoff" when AutoLogin:
                await RespondAsync(request, "Goodbye", ("Message", "Thanks for all the fish."));
                await CloseAsync();
                return true;
            case "Ping" when AutoPong:
                await RespondAsync(request, "Success", ("Ping", "Pong"), ("Timestamp", "1764146195.000000"));
                return true;
            default:
                return false;
        }
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
