using System.IO.Pipelines;

namespace Obelus.Reactive.Client;

/// <summary>A transport that delegates to a function yielding any <see cref="IDuplexPipe"/>.</summary>
internal sealed class PipeAmiTransport : IAmiTransport
{
    private readonly Func<CancellationToken, ValueTask<IDuplexPipe>> _connect;

    public PipeAmiTransport(Func<CancellationToken, ValueTask<IDuplexPipe>> connect)
    {
        ArgumentNullException.ThrowIfNull(connect);
        _connect = connect;
    }

    public ValueTask<IDuplexPipe> ConnectAsync(CancellationToken cancellationToken) => _connect(cancellationToken);
}
