using System.CommandLine;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>The options every command that talks to a real Asterisk shares.</summary>
internal sealed class ConnectionSettings
{
    /// <summary>Environment variable read when <c>--secret</c> is not given (keeps the secret out of shell history and process lists).</summary>
    public const string SecretVariable = "OBELUS_AMI_SECRET";

    public Option<string> Host { get; } = new("--host") { Description = "AMI server host name or address", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<int> Port { get; } = new("--port") { Description = "AMI TCP port", DefaultValueFactory = _ => 5038 };

    public Option<string> User { get; } = new("--user") { Description = "AMI user (a [section] of manager.conf)", Required = true };

    public Option<string?> Secret { get; } = new("--secret") { Description = $"AMI secret; default: the {SecretVariable} environment variable" };

    public Option<bool> Md5 { get; } = new("--md5") { Description = "Log in with an MD5 challenge instead of sending the secret" };

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(User);
        command.Options.Add(Secret);
        command.Options.Add(Md5);
    }

    /// <summary>Client options from the parsed command line.</summary>
    /// <exception cref="InvalidOperationException">No secret was given either way.</exception>
    public AmiClientOptions Read(ParseResult parse)
    {
        var secret = parse.GetValue(Secret) ?? Environment.GetEnvironmentVariable(SecretVariable);
        if (string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException($"No AMI secret: pass --secret or set {SecretVariable}.");
        }

        return new AmiClientOptions
        {
            Host = parse.GetValue(Host)!,
            Port = parse.GetValue(Port),
            Username = parse.GetValue(User)!,
            Secret = secret,
            AuthType = parse.GetValue(Md5) ? AmiAuthType.Md5 : AmiAuthType.Plain,
        };
    }
}
