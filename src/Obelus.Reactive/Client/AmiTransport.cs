using System.IO.Pipelines;

namespace Obelus.Reactive.Client;

/// <summary>Factories for the built-in <see cref="IAmiTransport"/>s.</summary>
public static class AmiTransport
{
    /// <summary>Plain TCP to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static IAmiTransport Tcp(string host, int port = 5038) => new SocketAmiTransport(host, port);

    /// <summary>
    /// Any pipe: in-memory pipes in tests, or TLS with
    /// <c>new DuplexPipe(PipeReader.Create(sslStream), PipeWriter.Create(sslStream))</c>.
    /// <paramref name="connect"/> is called once per connection attempt.
    /// </summary>
    public static IAmiTransport FromPipe(Func<CancellationToken, ValueTask<IDuplexPipe>> connect) => new PipeAmiTransport(connect);
}
