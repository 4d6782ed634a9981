using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Obelus.Reactive.Cli;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

/// <summary><c>originate</c> against the simulator on loopback TCP, as it would run against a real Asterisk.</summary>
public class OriginateCommandTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Local/answer@default", 0, "Answered")]
    [InlineData("Local/busy@default", 3, "Busy")]
    [InlineData("Local/noanswer@default", 4, "NoAnswer")]
    [InlineData("Local/congestion@default", 5, "Congestion")]
    [InlineData("Local/999@nonexistent", 8, "Failed")]
    public async Task Originate_prints_one_readable_line_per_change_and_exits_with_the_outcome_code(string channel, int code, string outcome)
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var exit = await Program.RunAsync(
                ["originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus", "--channel", channel, "--context", "default", "--exten", "100", "--timeout", "500"],
                console.Console, console.Error, CancellationToken.None)
            .WaitAsync(Safety);

        Assert.Equal(code, exit);
        Assert.Equal(string.Empty, console.Error.ToString());
        Assert.All(console.Lines, line =>
        {
            Assert.Matches(@"^\d\d:\d\d:\d\d\.\d\d\d (Queued|StateChanged|DialingStarted|DialingFinished|Ended|Failed)\b", line);
            Assert.DoesNotContain("CallState", line, StringComparison.Ordinal);
            Assert.DoesNotContain("{", line, StringComparison.Ordinal);
        });
        Assert.Contains($"outcome {outcome}", console.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Busy_call_ends_with_its_dial_status_and_cause_on_the_last_line()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        await Program.RunAsync(
                ["originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus", "--channel", "Local/busy@default", "--context", "default", "--exten", "100"],
                console.Console, console.Error, CancellationToken.None)
            .WaitAsync(Safety);

        Assert.StartsWith("Queued", console.Lines[0][13..], StringComparison.Ordinal);
        Assert.EndsWith("Ended            outcome Busy, dial BUSY, cause 17 (User busy)", console.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_has_one_object_per_change()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var exit = await Program.RunAsync(
                ["originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus", "--md5",
                    "--channel", "Local/busy@default", "--context", "default", "--exten", "100", "--caller-id", "\"Cli\" <42>", "--var", "ORDER=7", "--json"],
                console.Console, console.Error, CancellationToken.None)
            .WaitAsync(Safety);

        Assert.Equal(3, exit);
        var lines = console.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("Queued", lines[0].GetProperty("change").GetString());
        Assert.Equal("Ended", lines[^1].GetProperty("change").GetString());
        Assert.Equal("Busy", lines[^1].GetProperty("outcome").GetString());
        Assert.All(lines, l => Assert.Equal("outgoing", l.GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task A_lost_connection_without_reconnect_ends_the_call_as_lost_at_once_and_exits_9()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var running = Program.RunAsync(
            ["originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus", "--channel", "Local/long@default", "--context", "default", "--exten", "100"],
            console.Console, console.Error, CancellationToken.None);
        await console.WaitForLineAsync(l => l.Contains("state Up", StringComparison.Ordinal));
        simulator.ResetConnections();

        // Well under the manager's usual 30 s wait for a new login: the safety net would fail the test otherwise.
        var exit = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(9, exit);
        Assert.Contains("outcome Lost", console.Lines[^1], StringComparison.Ordinal);
        Assert.Contains($"obelus: connection to 127.0.0.1:{Port(endpoint)} lost", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_exits_1_naming_the_server_and_never_shows_the_secret()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { FailedLoginDelay = TimeSpan.Zero });
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var exit = await Program.RunAsync(
                ["originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "wrong-secret", "--channel", "Local/answer@default", "--context", "default", "--exten", "100", "--log-level", "trace"],
                console.Console, console.Error, CancellationToken.None)
            .WaitAsync(Safety);

        Assert.Equal(1, exit);
        Assert.Contains($"obelus: login to 127.0.0.1:{Port(endpoint)} refused: Authentication failed", console.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", console.Text + console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_level_debug_writes_the_clients_log_to_stderr()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var exit = await Program.RunAsync(
                ["originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus", "--channel", "Local/busy@default", "--context", "default", "--exten", "100", "--log-level", "Debug"],
                console.Console, console.Error, CancellationToken.None)
            .WaitAsync(Safety);

        Assert.Equal(3, exit);
        var log = console.Error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(log);
        Assert.All(log, line => Assert.Matches(@"^obelus: \d\d:\d\d:\d\d\.\d\d\d (debug|info|warn) ", line));
        Assert.Contains(log, line => line.Contains("Originate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tls_with_a_trusted_certificate_file_connects_and_without_it_fails_naming_the_server()
    {
        using var certificate = CreateSelfSigned();
        var file = Path.Combine(Path.GetTempPath(), $"obelus-cli-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(file, certificate.ExportCertificatePem());
        try
        {
            await using var simulator = new AmiSimulator();
            var endpoint = await simulator.StartTlsAsync(certificate, 0);
            string[] call = ["originate", "--tls", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus", "--channel", "Local/busy@default", "--context", "default", "--exten", "100"];
            using var trusted = new CliConsole();
            using var untrusted = new CliConsole();

            var trustedExit = await Program.RunAsync([.. call, "--tls-trust", file], trusted.Console, trusted.Error, CancellationToken.None).WaitAsync(Safety);
            var untrustedExit = await Program.RunAsync(call, untrusted.Console, untrusted.Error, CancellationToken.None).WaitAsync(Safety);

            Assert.Equal(3, trustedExit);
            Assert.Contains("outcome Busy", trusted.Lines[^1], StringComparison.Ordinal);
            Assert.Equal(1, untrustedExit);
            Assert.StartsWith($"obelus: cannot connect to tls://127.0.0.1:{Port(endpoint)}: ", untrusted.Error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static string Port(IPEndPoint endpoint) => endpoint.Port.ToString(CultureInfo.InvariantCulture);

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Through PKCS#12 so that SslStream can use the private key.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
