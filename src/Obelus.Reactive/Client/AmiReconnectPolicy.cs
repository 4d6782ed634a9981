using System.Globalization;

namespace Obelus.Reactive.Client;

/// <summary>
/// Exponential backoff for reconnecting after a connection that was logged in is lost.
/// The delay before attempt <c>n</c> (1-based) is <c>InitialDelay * Multiplier^(n-1)</c>, capped
/// at <see cref="MaxDelay"/>, then spread by ±<see cref="Jitter"/> (a fraction) and capped again.
/// Attempts count on across sessions that end before <see cref="StableAfter"/>: a server that
/// accepts the login and drops the connection at once meets a growing delay, not a fixed one.
/// Every value is checked when the client is created.
/// </summary>
public sealed record AmiReconnectPolicy
{
    /// <summary>The shortest <see cref="InitialDelay"/> and <see cref="MaxDelay"/> accepted: at most ten attempts a second.</summary>
    public static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Delay before the first attempt (default 1 s; at least <see cref="MinimumDelay"/>).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between attempts (default 30 s; at least <see cref="InitialDelay"/>).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a session must stay logged in for the backoff to start again from attempt 1 when
    /// it is lost (default 30 s; zero resets after every login). A session lost sooner goes on
    /// from the attempt that made it, so the delays keep growing and <see cref="MaxAttempts"/> applies.
    /// </summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Growth factor from one attempt to the next (default 2; at least 1, at most 100).</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>
    /// Random spread as a fraction of the delay, between 0 and 1 (default 0.2: ±20 %), so many
    /// clients losing one server do not all come back at the same instant.
    /// </summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Attempts before giving up (the client then closes); null retries forever; at least 1.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A delay below <see cref="MinimumDelay"/>, <see cref="MaxDelay"/> below <see cref="InitialDelay"/>, a negative <see cref="StableAfter"/>, a multiplier outside [1, 100], a jitter outside [0, 1], or fewer than 1 attempt.</exception>
    public void Validate()
    {
        if (InitialDelay < MinimumDelay)
        {
            throw OutOfRange(nameof(InitialDelay), InitialDelay, $"must be at least {MinimumDelay.TotalMilliseconds} ms, or a refusing server is hammered with connections");
        }

        if (MaxDelay < InitialDelay)
        {
            throw OutOfRange(nameof(MaxDelay), MaxDelay, $"must be at least InitialDelay ({InitialDelay})");
        }

        if (StableAfter < TimeSpan.Zero)
        {
            throw OutOfRange(nameof(StableAfter), StableAfter, "must not be negative");
        }

        if (!double.IsFinite(Multiplier) || Multiplier is < 1.0 or > 100.0)
        {
            throw OutOfRange(nameof(Multiplier), Multiplier, "must be between 1 and 100");
        }

        if (!double.IsFinite(Jitter) || Jitter is < 0.0 or > 1.0)
        {
            throw OutOfRange(nameof(Jitter), Jitter, "must be between 0 and 1");
        }

        if (MaxAttempts is < 1)
        {
            throw OutOfRange(nameof(MaxAttempts), MaxAttempts, "must be at least 1 (or null for no limit)");
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(string name, object? value, string rule) =>
        new("Reconnect." + name, value, string.Create(CultureInfo.InvariantCulture, $"Reconnect.{name} {rule}; it is {value}."));

    /// <summary>
    /// The delay before attempt <paramref name="attempt"/> (1 for the first retry), given a
    /// uniform random <paramref name="sample"/> in [0, 1) for the jitter.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The attempt is below 1.</exception>
    public TimeSpan GetDelay(int attempt, double sample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var multiplier = Math.Max(1.0, Multiplier);
        var cap = Math.Max(0, MaxDelay.Ticks);
        var ticks = Math.Min(cap, InitialDelay.Ticks * Math.Pow(multiplier, attempt - 1));
        var jitter = Math.Clamp(Jitter, 0.0, 1.0);
        ticks *= 1.0 + (jitter * ((2.0 * Math.Clamp(sample, 0.0, 1.0)) - 1.0));
        return TimeSpan.FromTicks((long)Math.Clamp(ticks, 0, cap));
    }
}
