using System.CommandLine;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Obelus.Reactive.Cli.Rendering;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>The options every command that talks to a real Asterisk shares: server, login, TLS, reconnect, logging.</summary>
internal sealed class ConnectionSettings
{
    /// <summary>Environment variable read when <c>--secret</c> is not given (keeps the secret out of shell history and process lists).</summary>
    public const string SecretVariable = "OBELUS_AMI_SECRET";

    private readonly bool _reconnectByDefault;

    /// <param name="reconnectByDefault">True: <c>--no-reconnect</c> turns reconnecting off; false: <c>--reconnect</c> turns it on.</param>
    public ConnectionSettings(bool reconnectByDefault)
    {
        _reconnectByDefault = reconnectByDefault;
        ReconnectSwitch = reconnectByDefault
            ? new Option<bool>("--no-reconnect") { Description = "Stop (exit 1) when the connection is lost instead of reconnecting" }
            : new Option<bool>("--reconnect") { Description = "Reconnect (1 s, 2 s, 4 s ... up to 30 s apart) when the connection is lost, instead of giving the call up as lost" };
    }

    public Option<string> Host { get; } = new("--host") { Description = "AMI server host name or address", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<int?> Port { get; } = OptionRules.OptionalWholeNumber("--port", "AMI port [default: 5038, or 5039 with --tls]", 1, 65535);

    public Option<string> User { get; } = new("--user") { Description = "AMI user (a [section] of manager.conf)", Required = true };

    public Option<string?> Secret { get; } = new("--secret") { Description = $"AMI secret; default: the {SecretVariable} environment variable" };

    public Option<bool> Md5 { get; } = new("--md5") { Description = "Log in with an MD5 challenge instead of sending the secret" };

    public Option<bool> Tls { get; } = new("--tls") { Description = "Connect over TLS (Asterisk's tlsbindport); the certificate must be trusted and match the host name" };

    public Option<string?> TlsServerName { get; } = new("--tls-server-name") { HelpName = "name", Description = "With --tls: the name the server certificate must carry, when it differs from --host" };

    public Option<FileInfo?> TlsTrust { get; } = new("--tls-trust") { HelpName = "file", Description = "With --tls: accept exactly this server certificate (PEM or DER file), e.g. Asterisk's self-signed one" };

    public Option<bool> ReconnectSwitch { get; }

    public Option<LogLevel> LogLevel { get; } = OptionRules.Choice(
        "--log-level", "level", "Write the client's log to stderr from this level on: trace, debug, information, warning, error, critical or none", Microsoft.Extensions.Logging.LogLevel.None);

    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[Host, Port, User, Secret, Md5, Tls, TlsServerName, TlsTrust, ReconnectSwitch, LogLevel])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The server as messages name it: <c>host:port</c>, with <c>tls://</c> in front over TLS.</summary>
    public string Server(ParseResult parse) =>
        (parse.GetValue(Tls) ? "tls://" : string.Empty) + string.Create(CultureInfo.InvariantCulture, $"{parse.GetValue(Host)}:{PortOf(parse)}");

    /// <summary>Whether to reconnect after a lost connection.</summary>
    public bool Reconnects(ParseResult parse) => parse.GetValue(ReconnectSwitch) != _reconnectByDefault;

    /// <summary>Client options from the parsed command line.</summary>
    /// <exception cref="CommandFailedException">No secret was given either way (a usage error).</exception>
    public AmiClientOptions Read(ParseResult parse)
    {
        var secret = parse.GetValue(Secret) ?? Environment.GetEnvironmentVariable(SecretVariable);
        if (string.IsNullOrEmpty(secret))
        {
            throw new CommandFailedException($"no AMI secret: pass --secret or set {SecretVariable}.", ExitCodes.Usage);
        }

        return new AmiClientOptions
        {
            Host = parse.GetValue(Host)!,
            Port = PortOf(parse),
            Username = parse.GetValue(User)!,
            Secret = secret,
            AuthType = parse.GetValue(Md5) ? AmiAuthType.Md5 : AmiAuthType.Plain,
            Reconnect = Reconnects(parse) ? new AmiReconnectPolicy() : null,
        };
    }

    /// <summary>The transport: null (plain TCP, the client's default) unless <c>--tls</c> was given.</summary>
    /// <exception cref="CommandFailedException">A TLS option without <c>--tls</c>, or an unreadable certificate (usage errors).</exception>
    public IAmiTransport? Transport(ParseResult parse)
    {
        var serverName = parse.GetValue(TlsServerName);
        var trust = parse.GetValue(TlsTrust);
        if (!parse.GetValue(Tls))
        {
            return serverName is null && trust is null
                ? null
                : throw new CommandFailedException("--tls-server-name and --tls-trust need --tls.", ExitCodes.Usage);
        }

        var tls = new SslClientAuthenticationOptions { TargetHost = serverName ?? parse.GetValue(Host) };
        if (trust is not null)
        {
            var pinned = LoadCertificateHash(trust);
            tls.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), pinned);
        }

        return AmiTransport.Tls(parse.GetValue(Host)!, PortOf(parse), tls);
    }

    /// <summary>A logger writing to <paramref name="error"/> at the chosen level, or null for none.</summary>
    public ILogger? Logger(ParseResult parse, TextWriter error)
    {
        var level = parse.GetValue(LogLevel);
        return level == Microsoft.Extensions.Logging.LogLevel.None ? null : new StderrLogger(error, level);
    }

    private int PortOf(ParseResult parse) => parse.GetValue(Port) ?? (parse.GetValue(Tls) ? 5039 : 5038);

    private static byte[] LoadCertificateHash(FileInfo file)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(file.FullName);
            return certificate.GetCertHash(HashAlgorithmName.SHA256);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CommandFailedException($"--tls-trust: cannot read a certificate from '{file.FullName}': {e.Message}", ExitCodes.Usage);
        }
    }
}
