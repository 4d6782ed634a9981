using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>AMI over TLS on loopback: the simulator serves a self-signed certificate made here.</summary>
public sealed class TlsTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(20);

    private static AmiClientOptions Options(int port) =>
        new() { Host = "localhost", Port = port, Username = "obelus", Secret = "obelus", KeepAliveInterval = null, ActionTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_self_signed_server_certificate_is_refused_by_default_validation()
    {
        using var certificate = CreateSelfSigned();
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTlsAsync(certificate);
        var transport = AmiTransport.Tls("localhost", endpoint.Port);

        var error = await Assert.ThrowsAsync<AmiConnectionException>(() => AmiClient.ConnectAsync(Options(endpoint.Port), transport).WaitAsync(Safety));

        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task A_certificate_accepted_by_the_callback_carries_login_actions_and_events()
    {
        using var certificate = CreateSelfSigned();
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTlsAsync(certificate);
        string? seen = null;
        var transport = AmiTransport.Tls("localhost", endpoint.Port, (_, remote, _, errors) =>
        {
            seen = remote?.GetCertHashString();
            return errors == SslPolicyErrors.RemoteCertificateChainErrors && seen == certificate.GetCertHashString();
        });

        await using var client = await AmiClient.ConnectAsync(Options(endpoint.Port), transport).WaitAsync(Safety);
        var pong = await client.SendAsync(new AmiAction("Ping")).WaitAsync(Safety);
        var channels = await client.SendEventListAsync(new AmiAction("CoreShowChannels")).WaitAsync(Safety);

        Assert.Equal(certificate.GetCertHashString(), seen);
        Assert.Equal("Pong", pong["Ping"]);
        Assert.Empty(channels.Items);
        Assert.Equal(AmiConnectionStatus.Connected, client.State.Status);
    }

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
