using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;

namespace Obelus.Reactive.Client;

/// <summary>
/// TCP through <see cref="SocketConnection"/>. The only type that knows about
/// Pipelines.Sockets.Unofficial, so replacing that package touches this file alone.
/// </summary>
internal sealed class SocketAmiTransport : IAmiTransport
{
    private readonly string _host;
    private readonly int _port;

    /// <summary>
    /// 64 KB segments: a busy server's events arrive in few large reads, each parsed and handed to
    /// the dispatcher as one batch (the 4 KB default means a receive, a wake-up and a batch per ~10
    /// events). Continuations run on the .NET thread pool like the rest of the client.
    /// </summary>
    private static readonly PipeOptions ReceiveOptions = new(
        readerScheduler: PipeScheduler.ThreadPool,
        writerScheduler: PipeScheduler.ThreadPool,
        minimumSegmentSize: 64 * 1024,
        useSynchronizationContext: false);

    public SocketAmiTransport(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        _host = host;
        _port = port;
    }

    public async ValueTask<IDuplexPipe> ConnectAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EndPoint endpoint = IPAddress.TryParse(_host, out var address)
            ? new IPEndPoint(address, _port)
            : new DnsEndPoint(_host, _port);

        // SocketConnection.ConnectAsync has no token: abandon the attempt on cancellation and
        // dispose whatever connection it yields later, so no socket leaks.
        var connecting = SocketConnection.ConnectAsync(endpoint, pipeOptions: ReceiveOptions, connectionOptions: SocketConnectionOptions.None);
        try
        {
            return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ = connecting.ContinueWith(
                static t => t.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
        catch (SocketException ex)
        {
            throw new AmiConnectionException($"Could not connect to AMI server {_host}:{_port}: {ex.Message}", ex);
        }
    }

    public override string ToString() => $"tcp://{_host}:{_port}";
}
