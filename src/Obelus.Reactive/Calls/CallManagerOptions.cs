using System.Text.RegularExpressions;

namespace Obelus.Reactive.Calls;

/// <summary>Settings of a <see cref="CallManager"/>. Every limit the call layer applies is here.</summary>
public sealed partial class CallManagerOptions
{
    /// <summary>The defaults.</summary>
    public static CallManagerOptions Default { get; } = new();

    /// <summary>
    /// The channel variable our Originates set to the call id. Null (the default) picks a fresh
    /// one per manager: <c>X_</c> and 12 upper-case hex digits. When set it must match
    /// <c>^[A-Z][_A-Z0-9]*$</c>; share one name between managers only if they never run at once.
    /// </summary>
    public string? TrackingVariable { get; init; }

    /// <summary>How long an Async Originate waits for its response before it fails (a synchronous one adds its own timeout). Default 10 s.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Added to an accepted Async Originate's timeout: when no channel of it has shown up by then,
    /// and no OriginateResponse either, the call fails. Default 10 s.
    /// </summary>
    public TimeSpan BindTimeoutMargin { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a call whose channels have all hung up waits for the OriginateResponse (which
    /// carries the Originate's verdict) before it ends without it. Default 2 s.
    /// </summary>
    public TimeSpan OriginateResponseGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The Originate timeout Asterisk applies when a request sets none (30 s); used for the bind timeout.</summary>
    public TimeSpan DefaultOriginateTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether Originates choose their channels' Uniqueids. Default <see cref="ChannelIdMode.Auto"/>.</summary>
    public ChannelIdMode UseChannelId { get; init; } = ChannelIdMode.Auto;

    /// <summary>
    /// How long live calls wait, once the connection is lost (<c>Disconnected</c>), for a new login
    /// (<c>Connected</c>; e.g. the client's reconnect policy). Within it, the calls keep their last
    /// state and are re-synchronised with a <c>Status</c> action after the login; past it they end
    /// with outcome <see cref="CallOutcome.Lost"/>. Zero ends them at once when the connection is
    /// lost. Default 30 s.
    /// </summary>
    public TimeSpan ReconnectGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Chooses the <see cref="Call.UserState"/> of each incoming call (your own object for it, as a
    /// call factory would), called once per call before it is handed out, off any library lock. An
    /// exception from it is logged and leaves the state null. Null: no user state.
    /// </summary>
    public Func<Call, object?>? IncomingUserState { get; init; }

    /// <summary>The default of <see cref="MaxTrackedCalls"/>.</summary>
    public const int DefaultMaxTrackedCalls = 50_000;

    /// <summary>
    /// Most calls the manager follows at once (outgoing and incoming; each costs about 2 KB). Past
    /// it, an incoming call is not followed (logged, and counted in
    /// <see cref="CallManager.CallsRefused"/>) and an <see cref="CallManager.Originate"/> fails at
    /// once, before anything is sent, with a <see cref="CallFailure"/> naming the limit. Default 50,000.
    /// </summary>
    public int MaxTrackedCalls { get; init; } = DefaultMaxTrackedCalls;

    /// <summary>
    /// Which thread calls the observers of <see cref="Call.States"/>, <see cref="CallManager.IncomingCalls"/>
    /// and <see cref="CallManager.Calls"/>. Default <see cref="CallObserverThreading.PerObserver"/>:
    /// each observer on its own lane of the thread pool, so a slow one delays only itself.
    /// </summary>
    public CallObserverThreading ObserverThreading { get; init; } = CallObserverThreading.PerObserver;

    /// <summary>
    /// With <see cref="CallObserverThreading.PerObserver"/>: most values (states, or calls for the
    /// call streams) waiting for one observer. Past it the manager waits for that observer before
    /// it folds more (nothing is dropped): the client's event buffer then fills and its
    /// <c>EventOverflow</c> policy applies. Default 10,000.
    /// </summary>
    public int MaxQueuedPerObserver { get; init; } = 10_000;

    /// <summary>The default of <see cref="RecentHangupMemory"/>.</summary>
    public const int DefaultRecentHangupMemory = 4096;

    /// <summary>
    /// How many recently hung-up channels that belonged to no call the manager remembers. Under load
    /// an OriginateResponse can arrive after every event of its channel, or before the first one;
    /// when the manager cannot bind the channel by itself (no ChannelId, no tracking VarSet, as for
    /// a read=call user on an old server) this memory tells "already hung up" from "not seen yet".
    /// Zero turns it off: such a call then waits <see cref="BindTimeoutMargin"/> before it ends.
    /// Default 4096 (about 0.3 MB at most).
    /// </summary>
    public int RecentHangupMemory { get; init; } = DefaultRecentHangupMemory;

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is out of range or malformed.</exception>
    public void Validate()
    {
        if (TrackingVariable is not null && !IsValidVariableName(TrackingVariable))
        {
            throw new ArgumentException($"Tracking variable '{TrackingVariable}' must match ^[A-Z][_A-Z0-9]*$.", nameof(TrackingVariable));
        }

        Positive(ResponseTimeout, nameof(ResponseTimeout));
        Positive(DefaultOriginateTimeout, nameof(DefaultOriginateTimeout));
        NotNegative(BindTimeoutMargin, nameof(BindTimeoutMargin));
        NotNegative(OriginateResponseGrace, nameof(OriginateResponseGrace));
        NotNegative(ReconnectGrace, nameof(ReconnectGrace));
        if (MaxTrackedCalls < 1)
        {
            throw new ArgumentException($"MaxTrackedCalls must be at least 1 (was {MaxTrackedCalls}).", nameof(MaxTrackedCalls));
        }

        if (RecentHangupMemory < 0)
        {
            throw new ArgumentException($"RecentHangupMemory must not be negative (was {RecentHangupMemory}).", nameof(RecentHangupMemory));
        }

        if (MaxQueuedPerObserver < 1)
        {
            throw new ArgumentException($"MaxQueuedPerObserver must be at least 1 (was {MaxQueuedPerObserver}).", nameof(MaxQueuedPerObserver));
        }

        if (!Enum.IsDefined(ObserverThreading))
        {
            throw new ArgumentException($"Unknown observer threading {ObserverThreading}.", nameof(ObserverThreading));
        }

        if (!Enum.IsDefined(UseChannelId))
        {
            throw new ArgumentException($"Unknown channel id mode {UseChannelId}.", nameof(UseChannelId));
        }
    }

    /// <summary>True for a name that matches <c>^[A-Z][_A-Z0-9]*$</c>.</summary>
    public static bool IsValidVariableName(string name) => name is not null && VariableName().IsMatch(name);

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive (was {value}).", name);
        }
    }

    private static void NotNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must not be negative (was {value}).", name);
        }
    }

    [GeneratedRegex("^[A-Z][_A-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
