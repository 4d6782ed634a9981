using System.Text;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>A live channel the fold knows: bound to a call (a leg of it), or a candidate not bound yet.</summary>
internal sealed class TrackedChannel : IKeyedRecord
{
    public TrackedChannel(IdKey id) => Reuse(id);

    /// <summary>The channel's Uniqueid, held by value: the record, old once reused, refers to no young string.</summary>
    public IdKey Id { get; private set; }

    IdKey IKeyedRecord.Key => Id;

    /// <summary>The channel's Linkedid, or the empty id while no event has named it.</summary>
    public IdKey Linkedid { get; set; }

    /// <summary>Whether the channel starts a Linkedid of its own (or names none): what a call's first channel does.</summary>
    public bool StartsOwnLinkedid => Linkedid.IsEmpty || Linkedid == Id;

    /// <summary>The call this channel belongs to, or null for a candidate.</summary>
    public TrackedCall? Owner { get; set; }

    /// <summary>The Newchannel event of a non-Local candidate, handed to the incoming call it may become.</summary>
    public AmiEvent? Newchannel { get; set; }

    /// <summary>True once the channel had its chance to become an incoming call (its first Newstate).</summary>
    public bool IncomingDecided { get; set; }

    public ChannelState? LastState { get; set; }

    public int? Cause { get; set; }

    /// <summary>The status of the last Dial that ended on this channel while it was a candidate.</summary>
    public string? DialStatus { get; set; }

    /// <summary>A field, not a property: the fold updates it in place.</summary>
    public OutcomeFacts Facts;

    /// <summary>The next unbound channel indexed under the same Linkedid (see <c>CallTracker.IndexCandidate</c>).</summary>
    public TrackedChannel? NextCandidate { get; set; }

    /// <summary>The other half of this Local channel, once a LocalBridge paired them: a call that gets one half gets both.</summary>
    public TrackedChannel? LocalPeer { get; set; }

    /// <summary>In the candidate index (see <c>CallTracker.IndexCandidate</c>): a channel that is not needs no look-up to leave it.</summary>
    public bool IsCandidate { get; set; }

    /// <summary>Known before the connection was lost and not confirmed by a re-synchronisation since.</summary>
    public bool Stale { get; set; }

    /// <summary>Whether the first name seen for this channel was a Local one (false before any).</summary>
    public bool IsLocal => _isLocal == true;

    private static ReadOnlySpan<byte> LocalPrefix => "Local/"u8;

    // All the fold needs of a channel's name is whether it is Local: no string is kept per channel.
    private bool? _isLocal;

    /// <summary>
    /// Makes this record that of a new channel: every field as a channel starts. A new record goes
    /// through here too; a reused one is a channel that hung up and that nothing refers to any
    /// more. A reused record is old already, so a new channel costs young collections one object
    /// fewer to find and promote.
    /// </summary>
    public TrackedChannel Reuse(IdKey id)
    {
        Id = id;
        Linkedid = default;
        Owner = null;
        Newchannel = null;
        IncomingDecided = false;
        LastState = null;
        Cause = null;
        DialStatus = null;
        Facts = default;
        NextCandidate = null;
        LocalPeer = null;
        IsCandidate = false;
        Stale = false;
        _isLocal = null;
        return this;
    }

    /// <summary>
    /// Notes the channel's name from header <paramref name="header"/> (or, where that is absent,
    /// <paramref name="fallbackHeader"/>), when it has none yet and the header is there.
    /// </summary>
    public void NoteName(AmiMessage e, string header, string? fallbackHeader = null)
    {
        if (_isLocal is null
            && (e.TryGetValueBytes(header, out var name) || (fallbackHeader is not null && e.TryGetValueBytes(fallbackHeader, out name))))
        {
            _isLocal = name.Length >= LocalPrefix.Length && Ascii.EqualsIgnoreCase(name[..LocalPrefix.Length], LocalPrefix);
        }
    }
}
