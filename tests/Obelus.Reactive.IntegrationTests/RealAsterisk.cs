using System.Diagnostics;
using System.Globalization;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>
/// The real Asterisk these tests run against, described by the environment:
/// <c>OBELUS_ASTERISK_HOST</c>, <c>_PORT</c>, <c>_USER</c>, <c>_SECRET</c> (required), and
/// optionally <c>_LIMITED_USER</c>/<c>_LIMITED_SECRET</c> (read=call, write=originate),
/// <c>_CONTROL</c>/<c>_DIR</c> (the script that started it and its instance folder, to restart it).
/// <c>tests/asterisk/asterisk.sh start</c> prints exactly these.
/// </summary>
internal static class RealAsterisk
{
    public const string NotConfigured =
        "No real Asterisk: set OBELUS_ASTERISK_HOST, OBELUS_ASTERISK_PORT, OBELUS_ASTERISK_USER and OBELUS_ASTERISK_SECRET " +
        "(eval \"$(tests/asterisk/asterisk.sh start)\" builds and starts one)";

    public static string? Host => Variable("HOST");

    public static int Port => int.Parse(Variable("PORT") ?? "5038", CultureInfo.InvariantCulture);

    public static string User => Variable("USER") ?? "obelus";

    public static string Secret => Variable("SECRET") ?? "";

    public static string? LimitedUser => Variable("LIMITED_USER");

    public static string? LimitedSecret => Variable("LIMITED_SECRET");

    public static bool IsConfigured => Host is not null && Variable("SECRET") is not null;

    /// <summary>Why a test cannot run here, or null when it can.</summary>
    public static string? SkipReason(bool needsLimitedUser, bool needsRestart) =>
        !IsConfigured ? NotConfigured
        : needsLimitedUser && (LimitedUser is null || LimitedSecret is null) ? "No limited AMI user: set OBELUS_ASTERISK_LIMITED_USER and OBELUS_ASTERISK_LIMITED_SECRET (read=call, write=originate)"
        : needsRestart && !CanRestart ? "The server cannot be restarted from here: only an instance started by tests/asterisk/asterisk.sh can (OBELUS_ASTERISK_CONTROL and OBELUS_ASTERISK_DIR)"
        : null;

    /// <summary>Whether this run may restart the server (only an instance the script started).</summary>
    public static bool CanRestart => Variable("CONTROL") is { } control && File.Exists(control) && Variable("DIR") is not null;

    /// <summary>The IAX2 port the server listens on, so the dialplan's IAX2 loop works (the script rewrites it).</summary>
    public static string? IaxPort => Variable("IAX_PORT");

    /// <summary>Client options for the configured user; reconnect off and keep-alive off unless asked.</summary>
    public static AmiClientOptions Options(string? user = null, string? secret = null) => new()
    {
        Host = Host ?? throw new InvalidOperationException(NotConfigured),
        Port = Port,
        Username = user ?? User,
        Secret = secret ?? Secret,
        KeepAliveInterval = null,
        ActionTimeout = TimeSpan.FromSeconds(20),
    };

    public static Task<AmiClient> ConnectAsync(AmiClientOptions? options = null) =>
        AmiClient.ConnectAsync(options ?? Options());

    /// <summary>Stops and starts the server on the same ports (tests/asterisk/asterisk.sh restart).</summary>
    public static async Task RestartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash", [Variable("CONTROL")!, "restart", Variable("DIR")!])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("Restarting Asterisk failed: " + await stderr);
        }
    }

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable("OBELUS_ASTERISK_" + name) is { Length: > 0 } value ? value : null;
}
