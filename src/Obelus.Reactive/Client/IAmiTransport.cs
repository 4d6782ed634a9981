using System.IO.Pipelines;

namespace Obelus.Reactive.Client;

/// <summary>
/// Opens the byte stream to an AMI server. Each call yields a fresh connection; the client
/// completes both halves of the pipe (and disposes it when it is disposable) when it is done.
/// </summary>
/// <remarks>Built-in transports: <see cref="AmiTransport.Tcp"/> and <see cref="AmiTransport.FromPipe"/>.</remarks>
public interface IAmiTransport
{
    /// <summary>Opens a new connection.</summary>
    ValueTask<IDuplexPipe> ConnectAsync(CancellationToken cancellationToken);
}
