using System.Globalization;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Hosting.Configuration;

/// <summary>
/// The reconnect policy as configuration describes it: exponential backoff from
/// <see cref="InitialDelay"/> up to <see cref="MaxDelay"/>, spread by <see cref="Jitter"/>.
/// </summary>
public sealed class AmiReconnectOptions
{
    /// <summary>Reconnect at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Delay before the first attempt (default 1 s).</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between attempts (default 30 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Growth factor from one attempt to the next, at least 1 (default 2).</summary>
    public double Multiplier { get; set; } = 2.0;

    /// <summary>Random spread as a fraction of the delay, 0 to 1 (default 0.2).</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Attempts before giving up; null (default) retries forever.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>The client's policy, or null when reconnecting is off.</summary>
    public AmiReconnectPolicy? ToPolicy() => Enabled
        ? new AmiReconnectPolicy { InitialDelay = InitialDelay, MaxDelay = MaxDelay, Multiplier = Multiplier, Jitter = Jitter, MaxAttempts = MaxAttempts }
        : null;

    /// <inheritdoc />
    public override string ToString() => Enabled
        ? string.Create(CultureInfo.InvariantCulture, $"{InitialDelay} to {MaxDelay} x{Multiplier} ±{Jitter:P0}, {MaxAttempts?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"} attempt(s)")
        : "off";
}
