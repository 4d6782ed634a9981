using System.IO.Pipelines;
using System.Net.Security;

namespace Obelus.Reactive.Client;

/// <summary>Factories for the built-in <see cref="IAmiTransport"/>s.</summary>
public static class AmiTransport
{
    /// <summary>Bytes received ahead of the read loop by default (see <see cref="Tcp"/>).</summary>
    public const int DefaultReceiveBufferBytes = 1024 * 1024;

    /// <summary>
    /// Plain TCP to <paramref name="host"/>:<paramref name="port"/>. Up to
    /// <paramref name="receiveBufferBytes"/> are read off the socket ahead of the parser (it then
    /// stops reading until half of it is parsed), so receiving and parsing overlap under a burst.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="receiveBufferBytes"/> is under 4 KB, or the port is not a TCP port.</exception>
    public static IAmiTransport Tcp(string host, int port = 5038, int receiveBufferBytes = DefaultReceiveBufferBytes) => new SocketAmiTransport(host, port, receiveBufferBytes);

    /// <summary>
    /// TCP wrapped in TLS (<see cref="SslStream"/>) to <paramref name="host"/>:<paramref name="port"/>
    /// (Asterisk's <c>tlsbindport</c>, 5039 by default). The server certificate is validated the
    /// normal .NET way (trusted chain, name matching <paramref name="host"/> or
    /// <see cref="SslClientAuthenticationOptions.TargetHost"/>) unless <paramref name="tls"/> sets a
    /// <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>. A refused
    /// certificate fails the connection attempt with <see cref="AmiConnectionException"/>.
    /// </summary>
    public static IAmiTransport Tls(string host, int port = 5039, SslClientAuthenticationOptions? tls = null) => new TlsAmiTransport(host, port, tls);

    /// <summary>As <see cref="Tls(string, int, SslClientAuthenticationOptions?)"/>, deciding on the server certificate with <paramref name="validateCertificate"/>.</summary>
    public static IAmiTransport Tls(string host, int port, RemoteCertificateValidationCallback validateCertificate)
    {
        ArgumentNullException.ThrowIfNull(validateCertificate);
        return new TlsAmiTransport(host, port, new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validateCertificate });
    }

    /// <summary>
    /// Any pipe: in-memory pipes in tests, or TLS with
    /// <c>new DuplexPipe(PipeReader.Create(sslStream), PipeWriter.Create(sslStream))</c>.
    /// <paramref name="connect"/> is called once per connection attempt.
    /// </summary>
    public static IAmiTransport FromPipe(Func<CancellationToken, ValueTask<IDuplexPipe>> connect) => new PipeAmiTransport(connect);
}
