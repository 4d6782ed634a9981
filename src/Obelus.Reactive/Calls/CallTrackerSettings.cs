namespace Obelus.Reactive.Calls;

/// <summary>What the fold needs to know, fixed for its lifetime.</summary>
/// <param name="TrackingVariable">The channel variable whose value is our call id.</param>
/// <param name="ResponseTimeout">How long an Originate may wait for its response (Async; a synchronous one adds its own timeout).</param>
/// <param name="BindTimeoutMargin">Added to an Async Originate's timeout: how long an accepted call may stay without a channel.</param>
/// <param name="OriginateResponseGrace">How long a call whose channels are gone waits for its OriginateResponse.</param>
/// <param name="AdoptUnknownTrackingValues">
/// True when a tracking value the fold was not told about starts a new outgoing call (the event
/// stream operator); false when it is logged as a warning and ignored (the manager).
/// </param>
/// <param name="ReconnectGrace">
/// How long live calls wait, after the connection was lost, for a new login and re-synchronisation
/// before they end as lost. Zero ends them at once when the connection is lost.
/// </param>
/// <param name="ChannelIdPrefix">
/// How every channel id our Originates choose begins; a channel with such an id that no live call
/// expects belongs to one of our calls that has already ended, never to an incoming call.
/// </param>
/// <param name="MaxCalls">Most calls followed at once; a call discovered beyond it (incoming, adopted) is not followed (see <see cref="CallManagerOptions.MaxTrackedCalls"/>).</param>
/// <param name="RecentHangupMemory">How many hung-up channels that belonged to no call the fold remembers (see <see cref="CallManagerOptions.RecentHangupMemory"/>).</param>
internal sealed record CallTrackerSettings(
    string TrackingVariable,
    TimeSpan ResponseTimeout,
    TimeSpan BindTimeoutMargin,
    TimeSpan OriginateResponseGrace,
    bool AdoptUnknownTrackingValues,
    TimeSpan ReconnectGrace = default,
    string? ChannelIdPrefix = null,
    int RecentHangupMemory = CallManagerOptions.DefaultRecentHangupMemory,
    int MaxCalls = int.MaxValue);
