using System.Runtime.InteropServices;
using System.Text;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>The binding side of the fold: which channel belongs to which call, and its hangup cause.</summary>
internal sealed partial class CallTracker
{
    /// <summary>
    /// Binds <paramref name="channel"/> to <paramref name="call"/>, with its Linkedid and every
    /// candidate sharing it, then publishes one StateChanged when a bound channel brought a new
    /// state (a late binding), else just the new channel list.
    /// </summary>
    private void Bind(TrackedChannel channel, TrackedCall call, bool quiet = false)
    {
        if (channel.Owner == call)
        {
            return;
        }

        var stateBefore = call.LastState;
        BindCore(channel, call);
        if (quiet)
        {
            return;
        }

        if (call.LastState != stateBefore)
        {
            Publish(call, CallChange.StateChanged);
        }
        else
        {
            Output(call, null);
        }
    }

    private void BindCore(TrackedChannel channel, TrackedCall call)
    {
        UnindexCandidate(channel);
        channel.Owner = call;
        channel.IncomingDecided = true;
        channel.Newchannel = null;
        call.AddChannel(channel.Id);
        call.Facts.Merge(channel.Facts);
        if (channel.Cause is { } cause)
        {
            MergeCause(call, cause);
        }

        call.DialStatus ??= channel.DialStatus;
        if (channel.LastState is { } state)
        {
            call.LastState = state;
        }

        if (channel.LocalPeer is { Owner: null } peer)
        {
            BindCore(peer, call);
        }

        if (!call.Bound)
        {
            call.Bound = true;
            StopTimer(call, CallTimerKind.Bind);
        }

        var linkedid = channel.Linkedid;
        if (linkedid.IsEmpty)
        {
            return;
        }

        var owned = RegisterLinkedid(call, linkedid);
        if (!owned || !_candidatesByLinkedid.Remove(linkedid, out var leg))
        {
            return;
        }

        while (leg is not null)
        {
            var next = leg.NextCandidate;
            leg.NextCandidate = null;
            leg.IsCandidate = false;
            if (leg.Owner is null)
            {
                BindCore(leg, call);
            }

            leg = next;
        }
    }

    /// <summary>
    /// Indexes an unbound channel by its Linkedid, so binding a call finds its legs without a scan.
    /// The candidates of one Linkedid are a chain through <see cref="TrackedChannel.NextCandidate"/>
    /// in the order they came (one or two, nearly always): no list to allocate per channel.
    /// </summary>
    private void IndexCandidate(TrackedChannel channel)
    {
        if (channel.Owner is not null || channel.Linkedid.IsEmpty)
        {
            return;
        }

        channel.IsCandidate = true;
        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_candidatesByLinkedid, channel.Linkedid, out var chained);
        if (!chained)
        {
            head = channel;
            return;
        }

        var last = head!;
        while (true)
        {
            if (last == channel)
            {
                return;
            }

            if (last.NextCandidate is not { } next)
            {
                break;
            }

            last = next;
        }

        last.NextCandidate = channel;
    }

    private void UnindexCandidate(TrackedChannel channel)
    {
        // Most channels never were candidates (bound as they came) or left the index already.
        if (!channel.IsCandidate)
        {
            return;
        }

        channel.IsCandidate = false;
        var linkedid = channel.Linkedid;
        if (linkedid.IsEmpty || !_candidatesByLinkedid.TryGetValue(linkedid, out var head))
        {
            return;
        }

        if (head == channel)
        {
            if (channel.NextCandidate is { } next)
            {
                _candidatesByLinkedid[linkedid] = next;
            }
            else
            {
                _candidatesByLinkedid.Remove(linkedid);
            }
        }
        else
        {
            var previous = head;
            while (previous.NextCandidate is { } candidate && candidate != channel)
            {
                previous = candidate;
            }

            if (previous.NextCandidate != channel)
            {
                return;
            }

            previous.NextCandidate = channel.NextCandidate;
        }

        channel.NextCandidate = null;
    }

    /// <summary>The first candidate on <paramref name="linkedid"/> not bound to a call, or null.</summary>
    private TrackedChannel? FirstUnboundCandidate(IdKey linkedid)
    {
        _candidatesByLinkedid.TryGetValue(linkedid, out var candidate);
        while (candidate is not null && candidate.Owner is not null)
        {
            candidate = candidate.NextCandidate;
        }

        return candidate;
    }

    private static void UpdateCause(TrackedChannel channel, int cause)
    {
        if (channel.Owner is { } call)
        {
            MergeCause(call, cause);
            return;
        }

        channel.Facts.ObserveCause(cause);
        if (cause != 0 || channel.Cause is null)
        {
            channel.Cause = cause;
        }
    }

    private static void MergeCause(TrackedCall call, int cause)
    {
        // A non-zero cause always wins; a zero cause only fills an empty one.
        call.Facts.ObserveCause(cause);
        if (cause != 0 || call.Cause is null)
        {
            call.Cause = cause;
        }
    }

    private TrackedChannel? Resolve(AmiEvent e, bool create)
    {
        if (HeaderWithValue(e, "Uniqueid") is not { } index)
        {
            CallLog.MissingHeader(_logger, e.Name, "Uniqueid");
            return null;
        }

        return ResolveAt(e, index, "Linkedid", create);
    }

    /// <summary>
    /// The same for the channel whose id is the value of header <paramref name="index"/> of
    /// <paramref name="e"/>. Its Linkedid (header <paramref name="linkedidHeader"/>) is read only
    /// when the channel is new or has none yet; no string is made for either.
    /// </summary>
    private TrackedChannel? ResolveAt(AmiEvent e, int index, string? linkedidHeader, bool create)
    {
        var id = IdKey.From(e.ValueBytesAt(index));
        if ((_recentChannels.Find(id) ?? FromMap(id)) is not { } channel)
        {
            return Noted(ResolveUnknown(id, linkedidHeader is null ? default : LinkedidOf(e, linkedidHeader), create));
        }

        return channel.Linkedid.IsEmpty && linkedidHeader is not null ? LearnLinkedid(channel, LinkedidOf(e, linkedidHeader)) : channel;
    }

    /// <summary>The value of header <paramref name="header"/> of <paramref name="e"/> as an id (empty when absent).</summary>
    private static IdKey LinkedidOf(AmiEvent e, string header) =>
        e.TryGetValueBytes(header, out var value) ? IdKey.From(value) : default;

    /// <summary>The index of header <paramref name="name"/> of <paramref name="e"/> when it has a value, or null.</summary>
    private static int? HeaderWithValue(AmiEvent e, string name)
    {
        var index = e.IndexOf(name, 0);
        return index >= 0 && !e.ValueBytesAt(index).IsEmpty ? index : null;
    }

    /// <summary>
    /// Finds the channel <paramref name="uniqueId"/>. A channel we have not seen yet is bound
    /// right away when its id is one we chose (ChannelId, on any event); when
    /// <paramref name="create"/> is set (Newchannel, VarSet) it is bound as a leg when its
    /// Linkedid is a tracked call's, and kept as a candidate otherwise.
    /// </summary>
    private TrackedChannel? Resolve(IdKey uniqueId, IdKey linkedid, bool create) =>
        (_recentChannels.Find(uniqueId) ?? FromMap(uniqueId)) is { } channel
            ? LearnLinkedid(channel, linkedid)
            : Noted(ResolveUnknown(uniqueId, linkedid, create));

    /// <summary>The channel in the map under <paramref name="uniqueId"/>, now one of the recent ones; or null.</summary>
    private TrackedChannel? FromMap(IdKey uniqueId) => _channels.TryGetValue(uniqueId, out var channel) ? Noted(channel) : null;

    private TrackedChannel? Noted(TrackedChannel? channel)
    {
        if (channel is not null)
        {
            _recentChannels.Note(channel);
        }

        return channel;
    }

    /// <summary>Takes <paramref name="channel"/> out of the map, the recent ones, the candidate index and its Local pair.</summary>
    private void Untrack(TrackedChannel channel)
    {
        // The record is reused for another channel: its peer must not bind that one later.
        if (channel.LocalPeer is { } peer && peer.LocalPeer == channel)
        {
            peer.LocalPeer = null;
        }

        channel.LocalPeer = null;
        _channels.Remove(channel.Id);
        _recentChannels.Drop(channel);
        UnindexCandidate(channel);
    }

    /// <summary>Gives a known channel the Linkedid an event names, when it had none yet (not every event or server version carries one).</summary>
    private TrackedChannel LearnLinkedid(TrackedChannel channel, IdKey linkedid)
    {
        if (channel.Linkedid.IsEmpty && !linkedid.IsEmpty)
        {
            channel.Linkedid = linkedid;
            IndexCandidate(channel);
        }

        return channel;
    }

    /// <summary>The part of <see cref="Resolve(IdKey, IdKey, bool)"/> and <see cref="ResolveAt"/> for a channel not in the map.</summary>
    private TrackedChannel? ResolveUnknown(IdKey uniqueId, IdKey linkedid, bool create)
    {
        TrackedChannel channel;
        if (_byExpectedId.Count > 0 && _byExpectedId.Remove(uniqueId, out var expected))
        {
            // A chosen id names one channel once: after its Hangup, stray events must not revive it.
            channel = Track(uniqueId, linkedid);
            Bind(channel, expected);
            return channel;
        }

        // Only an event that starts a channel makes it a leg; a late event of a channel that
        // already hung up must not bring it back.
        if (create && !linkedid.IsEmpty && _byLinkedid.TryGetValue(linkedid, out var linkedCall))
        {
            channel = Track(uniqueId, linkedid);
            Bind(channel, linkedCall);
            return channel;
        }

        if (!create)
        {
            return null;
        }

        channel = Track(uniqueId, linkedid);
        IndexCandidate(channel);

        // An id we chose that no live call expects: a channel of one of our calls that ended first
        // (its failure overtook its events). It is followed until its Hangup, never as incoming.
        channel.IncomingDecided = _settings.ChannelIdPrefix is { } prefix && uniqueId.StartsWith(prefix);
        return channel;
    }

    /// <summary>
    /// A record for a new channel, in the map of channels. It is not indexed as a candidate: most
    /// new channels are bound at once, and the caller that keeps one unbound indexes it.
    /// </summary>
    private TrackedChannel Track(IdKey uniqueId, IdKey linkedid)
    {
        var channel = _spareChannels.TryPop(out var spare) ? spare.Reuse(uniqueId) : new TrackedChannel(uniqueId);
        channel.Linkedid = linkedid;
        _channels.Set(channel);
        return channel;
    }
}
