namespace Obelus.Reactive.Client;

/// <summary>
/// Exponential backoff for reconnecting after a connection that was logged in is lost.
/// The delay before attempt <c>n</c> (1-based) is <c>InitialDelay * Multiplier^(n-1)</c>, capped
/// at <see cref="MaxDelay"/>, then spread by ±<see cref="Jitter"/> (a fraction) and capped again.
/// </summary>
public sealed record AmiReconnectPolicy
{
    /// <summary>Delay before the first attempt (default 1 s).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between attempts (default 30 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Growth factor from one attempt to the next (default 2; at least 1).</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>
    /// Random spread as a fraction of the delay, between 0 and 1 (default 0.2: ±20 %), so many
    /// clients losing one server do not all come back at the same instant.
    /// </summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Attempts before giving up (the client then closes); null retries forever.</summary>
    public int? MaxAttempts { get; init; }

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
