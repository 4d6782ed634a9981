using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Testing;

/// <summary>Settings of an <see cref="AmiSimulator"/>.</summary>
public sealed class AmiSimulatorOptions
{
    /// <summary>The AMI user name the simulator accepts (default <c>obelus</c>).</summary>
    public string Username { get; init; } = "obelus";

    /// <summary>The secret of <see cref="Username"/> (default <c>obelus</c>); never shown by <see cref="ToString"/>.</summary>
    public string Secret { get; init; } = "obelus";

    /// <summary>
    /// The AMI version in the greeting line. Asterisk 22 sends <c>Asterisk Call Manager/11.0.0</c>,
    /// so the default is <c>11.0.0</c>.
    /// </summary>
    public string BannerVersion { get; init; } = "11.0.0";

    /// <summary>
    /// Where every delay of the simulated server runs (call progress, login delay, incoming call rate).
    /// Null means the Rx default scheduler; tests pass a <c>TestScheduler</c>.
    /// </summary>
    public IScheduler? Scheduler { get; init; }

    /// <summary>Logger for connections and actions (secrets are never logged). Null means no logging.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Seed of the random parts (channel name suffixes, IAX2 call numbers); the same seed gives the same ids.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The seconds part of generated uniqueids (<c>&lt;epoch&gt;.&lt;seq&gt;</c>). Null means the
    /// scheduler's clock at start-up.
    /// </summary>
    public long? UniqueidEpoch { get; init; }

    /// <summary>
    /// How long a refused login waits before its <c>Response: Error</c> (a real Asterisk waits about
    /// one second). Zero answers at once.
    /// </summary>
    public TimeSpan FailedLoginDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Each asynchronous Originate starts its channels after a random extra delay of up to this
    /// (drawn from <see cref="Seed"/>), as a real Asterisk runs every Originate on a thread of its
    /// own: under concurrent load channels are then created in another order than the actions
    /// arrived in. Zero (the default) keeps the order.
    /// </summary>
    public TimeSpan OriginateJitter { get; init; }

    /// <summary>The longest action (in bytes) a session accepts; longer input is refused and the session closed.</summary>
    public int MaxActionBytes { get; init; } = 64 * 1024;

    /// <summary>The longest a session filter regex may run on one event; a match that takes longer counts as no match.</summary>
    public TimeSpan FilterMatchTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// With a virtual-time <see cref="Scheduler"/> and in-memory connections, each timer of the
    /// simulator, the client and the call manager first waits until everything already on its
    /// way has arrived: actions handled, events parsed and delivered to every subscriber. So one
    /// <c>AdvanceBy</c> of any length gives the same states as many small steps, and an event's
    /// time is when the simulator produced it. This is the longest such wait (real time) before
    /// the timer runs anyway, which happens only when an observer blocks its thread (logged as a
    /// warning). Zero turns the waiting off. Default 5 seconds.
    /// </summary>
    public TimeSpan SettleTimeout { get; init; } = DefaultSettleTimeout;

    /// <summary>The default of <see cref="SettleTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultSettleTimeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override string ToString() =>
        $"AmiSimulatorOptions {{ Username = {Username}, Secret = ***, BannerVersion = {BannerVersion}, Seed = {Seed} }}";

    /// <summary>Checks the values that end up on the wire.</summary>
    /// <exception cref="ArgumentException">An empty value, or CR, LF or NUL in one.</exception>
    internal void Validate()
    {
        foreach (var (value, name) in new[] { (Username, nameof(Username)), (Secret, nameof(Secret)), (BannerVersion, nameof(BannerVersion)) })
        {
            if (string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                throw new ArgumentException($"{name} must be non-empty and free of CR, LF and NUL.", name);
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxActionBytes, 256, nameof(MaxActionBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FilterMatchTimeout, TimeSpan.Zero, nameof(FilterMatchTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(FailedLoginDelay, TimeSpan.Zero, nameof(FailedLoginDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(SettleTimeout, TimeSpan.Zero, nameof(SettleTimeout));
    }
}
