using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>One output of the fold for one call (a struct: the fold makes one or two for most events).</summary>
/// <param name="Serial">The fold's key for the call.</param>
/// <param name="CallId">The call id.</param>
/// <param name="Direction">The call direction.</param>
/// <param name="State">The new state to publish, or null when only the channel list changed.</param>
/// <param name="UniqueIds">The call's live channel ids after this update.</param>
/// <param name="IsNew">True for the first update of a call the fold discovered (incoming, or bound by an unknown tracking value).</param>
/// <param name="Origin">The Newchannel event an incoming call started with.</param>
internal readonly record struct CallUpdate(
    long Serial,
    string CallId,
    CallDirection Direction,
    CallState? State,
    IReadOnlyList<string> UniqueIds,
    bool IsNew = false,
    AmiEvent? Origin = null);
