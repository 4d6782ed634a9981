using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// A loopback TCP server that greets every connection with an AMI banner, then writes the
/// same event bytes as fast as the socket takes them and closes. Each reader under test
/// reads one connection to its end, so all of them see exactly the same bytes.
/// </summary>
public sealed class LoopbackBlaster : IDisposable
{
    private static readonly byte[] Banner = Encoding.ASCII.GetBytes("Asterisk Call Manager/11.0.0\r\n");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _payload;
    private readonly CancellationTokenSource _stop = new();

    public LoopbackBlaster(byte[] payload)
    {
        _payload = payload;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
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
                for (var offset = 0; offset < _payload.Length;)
                {
                    var chunk = Math.Min(64 * 1024, _payload.Length - offset);
                    offset += await socket.SendAsync(_payload.AsMemory(offset, chunk), SocketFlags.None).ConfigureAwait(false);
                }

                // Ignore a client that stops early: the next connection starts from scratch.
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }
    }
}
