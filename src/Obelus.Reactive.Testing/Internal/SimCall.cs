using System.Reactive.Disposables;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>A group of channels that live and die together, with the scheduled steps still to run.</summary>
internal sealed class SimCall
{
    public List<SimChannel> Channels { get; } = [];

    /// <summary>Scheduled steps of the call; disposed when the call is hung up early.</summary>
    public CompositeDisposable Pending { get; } = [];

    /// <summary>The Originate ActionID, for the OriginateResponse of an async Originate.</summary>
    public string? OriginateActionId { get; set; }

    public bool Ended { get; set; }

    /// <summary>For a synchronous Originate: sends its response (true = answered) and lets the session go on.</summary>
    public Action<bool>? SyncDecision { get; set; }

    /// <summary>The OriginateResponse (or sync response) has been given.</summary>
    public bool Decided { get; set; }

    /// <summary>Events of the call's channels held back until its OriginateResponse (see <c>OriginateResponseFirst</c>); null when not holding.</summary>
    public List<AmiEvent>? Held { get; set; }
}
