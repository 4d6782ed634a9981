using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Obelus.Reactive.Client;

/// <summary>
/// AMI over TLS: a TCP socket wrapped in an <see cref="SslStream"/>, seen as a pipe. Certificates
/// are validated the normal .NET way unless the options carry a validation callback.
/// </summary>
internal sealed class TlsAmiTransport : IAmiTransport
{
    private readonly string _host;
    private readonly int _port;
    private readonly SslClientAuthenticationOptions? _tls;

    public TlsAmiTransport(string host, int port, SslClientAuthenticationOptions? tls)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, System.Net.IPEndPoint.MaxPort);
        _host = host;
        _port = port;
        _tls = tls;
    }

    public async ValueTask<IDuplexPipe> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        SslStream? tls = null;
        try
        {
            await client.ConnectAsync(_host, _port, cancellationToken).ConfigureAwait(false);
            tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            var options = Copy(_tls);
            options.TargetHost ??= _host;
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return new StreamDuplexPipe(tls, client);
        }
        catch (Exception ex) when (ex is SocketException or AuthenticationException or IOException)
        {
            await DisposeAsync(tls, client).ConfigureAwait(false);
            var what = ex is AuthenticationException ? "TLS handshake with" : "Could not connect to";
            throw new AmiConnectionException($"{what} AMI server {_host}:{_port} failed: {ex.Message}", ex);
        }
        catch
        {
            await DisposeAsync(tls, client).ConfigureAwait(false);
            throw;
        }
    }

    public override string ToString() => $"tls://{_host}:{_port}";

    private static async ValueTask DisposeAsync(SslStream? tls, TcpClient client)
    {
        if (tls is not null)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
        }

        client.Dispose();
    }

    /// <summary>A fresh options object per attempt: SslStream must not share one between handshakes.</summary>
    private static SslClientAuthenticationOptions Copy(SslClientAuthenticationOptions? source) => source is null
        ? new SslClientAuthenticationOptions()
        : new SslClientAuthenticationOptions
        {
            TargetHost = source.TargetHost,
            RemoteCertificateValidationCallback = source.RemoteCertificateValidationCallback,
            ClientCertificates = source.ClientCertificates,
            EnabledSslProtocols = source.EnabledSslProtocols,
            CertificateRevocationCheckMode = source.CertificateRevocationCheckMode,
            CertificateChainPolicy = source.CertificateChainPolicy,
            ApplicationProtocols = source.ApplicationProtocols,
            LocalCertificateSelectionCallback = source.LocalCertificateSelectionCallback,
            EncryptionPolicy = source.EncryptionPolicy,
            AllowRenegotiation = source.AllowRenegotiation,
        };
}
