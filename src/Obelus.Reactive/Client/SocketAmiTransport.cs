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

    private readonly PipeOptions _receiveOptions;

    public SocketAmiTransport(string host, int port, int receiveBufferBytes = AmiTransport.DefaultReceiveBufferBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(receiveBufferBytes, 4096);
        _host = host;
        _port = port;

        // 64 KB segments: a busy server's events arrive in few large reads, each parsed and handed
        // over as one batch (the 4 KB default means a receive, a wake-up and a batch per ~10
        // events). The socket loop may run a whole buffer ahead of the parser (the pipe's default
        // lets it run one segment ahead, so the two took turns instead of overlapping).
        // Continuations run on the .NET thread pool like the rest of the client.
        _receiveOptions = new PipeOptions(
            readerScheduler: PipeScheduler.ThreadPool,
            writerScheduler: PipeScheduler.ThreadPool,
            pauseWriterThreshold: receiveBufferBytes,
            resumeWriterThreshold: receiveBufferBytes / 2,
            minimumSegmentSize: Math.Min(64 * 1024, receiveBufferBytes),
            useSynchronizationContext: false);
    }

    public async ValueTask<IDuplexPipe> ConnectAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EndPoint endpoint = IPAddress.TryParse(_host, out var address)
            ? new IPEndPoint(address, _port)
            : new DnsEndPoint(_host, _port);

        // SocketConnection.ConnectAsync has no token: abandon the attempt on cancellation and
        // dispose whatever connection it yields later, so no socket leaks.
        var connecting = SocketConnection.ConnectAsync(endpoint, pipeOptions: _receiveOptions, connectionOptions: SocketConnectionOptions.None);
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
