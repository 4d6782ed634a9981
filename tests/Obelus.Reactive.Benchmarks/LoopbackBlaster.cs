using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// A loopback TCP server that greets every connection with an AMI banner, then writes the
/// same event bytes as fast as the socket takes them and closes. Each reader under test
/// reads one connection to its end, so all of them see exactly the same bytes.
/// </summary>
/// <remarks>
/// With <c>answerLogin</c> it first reads one action (the client's <c>Login</c>) and answers it
/// with <c>Response: Success</c> and the same ActionID, as a real server would, before the events;
/// after them it keeps the connection open until the client's next action (its <c>Logoff</c>),
/// answers <c>Response: Goodbye</c> and closes. Closing right after the events instead raced with
/// the client: a reader fast enough reached the end of the stream before <c>ConnectAsync</c> had
/// returned, and the connection counted as lost right after login.
/// </remarks>
public sealed class LoopbackBlaster : IDisposable
{
    private static readonly byte[] Banner = Encoding.ASCII.GetBytes("Asterisk Call Manager/11.0.0\r\n");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _payload;
    private readonly ConcurrentCallTraffic? _stream;
    private readonly int _blocks;

    // One block buffer for the life of the blaster (3.6 MB, large-object heap): a copy per
    // connection would leave megabytes of garbage only a gen2 collection takes back, and show up
    // in the peak working set of the client under test.
    private byte[]? _blockBuffer;
    private readonly bool _answerLogin;
    private readonly CancellationTokenSource _stop = new();

    public LoopbackBlaster(byte[] payload, bool answerLogin = false)
    {
        _payload = payload;
        _answerLogin = answerLogin;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Streams <paramref name="blocks"/> blocks of <paramref name="stream"/> instead of fixed bytes.</summary>
    public LoopbackBlaster(ConcurrentCallTraffic stream, int blocks, bool answerLogin = false)
        : this([], answerLogin)
    {
        _stream = stream;
        _blocks = blocks;
        _blockBuffer = stream.CreateBuffer();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            socket.NoDelay = true;
            try
            {
                await socket.SendAsync(Banner, SocketFlags.None).ConfigureAwait(false);
                if (_answerLogin && !await AnswerActionAsync(socket, "Success", "Authentication accepted").ConfigureAwait(false))
                {
                    return;
                }

                if (_stream is null)
                {
                    await SendAsync(socket, _payload).ConfigureAwait(false);
                }
                else
                {
                    // Connections are served one at a time by the benchmarks that stream blocks.
                    var buffer = _blockBuffer!;
                    for (var block = 0; block < _blocks; block++)
                    {
                        _stream.Fill(buffer, block);
                        await SendAsync(socket, buffer).ConfigureAwait(false);
                    }
                }

                if (_answerLogin)
                {
                    await AnswerActionAsync(socket, "Goodbye", "Thanks for all the fish.").ConfigureAwait(false);
                }

                // Ignore a client that stops early: the next connection starts from scratch.
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }
    }

    private static async Task SendAsync(Socket socket, byte[] bytes)
    {
        for (var offset = 0; offset < bytes.Length;)
        {
            var chunk = Math.Min(64 * 1024, bytes.Length - offset);
            offset += await socket.SendAsync(bytes.AsMemory(offset, chunk), SocketFlags.None).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one action up to its blank line and answers it with <paramref name="response"/>; false when the client left first.</summary>
    private static async Task<bool> AnswerActionAsync(Socket socket, string response, string message)
    {
        var buffer = new byte[4096];
        var length = 0;
        int end;
        while ((end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (length == buffer.Length)
            {
                return false;
            }

            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            length += read;
        }

        var action = Encoding.ASCII.GetString(buffer, 0, end);
        var actionId = action.Split("\r\n")
            .Where(line => line.StartsWith("ActionID:", StringComparison.OrdinalIgnoreCase))
            .Select(line => line["ActionID:".Length..].Trim())
            .FirstOrDefault();
        var reply = $"Response: {response}\r\n" + (actionId is null ? string.Empty : $"ActionID: {actionId}\r\n") + $"Message: {message}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(reply), SocketFlags.None).ConfigureAwait(false);
        return true;
    }
}
