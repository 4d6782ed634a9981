using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// The reconnect side of the fold: keeping live calls through a lost connection, then matching
/// them against the server's <c>Status</c> list once logged in again.
/// </summary>
internal sealed partial class CallTracker
{
    private const string UnsetVariable = "(null)";

    private bool _inGap;
    private bool _awaitingReconnect;
    private string _gapReason = string.Empty;

    /// <summary>True between a lost connection and the re-synchronisation (or the end of the wait for it).</summary>
    public bool InGap => _inGap;

    /// <summary>
    /// The connection was lost. With a zero <see cref="CallTrackerSettings.ReconnectGrace"/> this is
    /// <see cref="ConnectionLost"/>. Otherwise calls the server had not accepted yet fail (their
    /// response is lost with the connection) and every other live call stays as it is, with no
    /// state emitted, until <see cref="Resynced"/>, <see cref="ResyncFailed"/> or the grace timer.
    /// </summary>
    public IReadOnlyList<CallUpdate> Disconnected(string reason, DateTimeOffset now)
    {
        if (_settings.ReconnectGrace <= TimeSpan.Zero)
        {
            return ConnectionLost(reason, now);
        }

        Begin(now);
        _inGap = true;
        _awaitingReconnect = true;
        _gapReason = reason;
        var waiting = 0;
        foreach (var call in _calls.Values.OrderBy(c => c.Serial).ToList())
        {
            if (call.Direction == CallDirection.Outgoing && !call.Accepted)
            {
                call.ResponseSeen = true;
                Finish(call, CallChange.Failed, new CallFailure(reason), CallOutcome.Lost);
            }
            else
            {
                call.InGap = true;
                waiting++;
            }
        }

        MarkChannelsStale();

        CallLog.WaitingForReconnect(_logger, waiting, _settings.ReconnectGrace);
        _timers.Add(new CallTimer(0, CallTimerKind.ReconnectGrace, now + _settings.ReconnectGrace));
        return End();
    }

    /// <summary>
    /// Events were dropped before reaching the fold while the connection stayed up: every call the
    /// server had accepted, and every known channel, is judged again by the <c>Status</c> list that
    /// follows (<see cref="Resynced"/>). Calls still waiting for their Originate response are left
    /// alone: responses are never dropped.
    /// </summary>
    public IReadOnlyList<CallUpdate> EventsMissed(string reason, DateTimeOffset now)
    {
        Begin(now);
        _inGap = true;
        _gapReason = reason;
        foreach (var call in _calls.Values)
        {
            call.InGap = call.Direction == CallDirection.Incoming || call.Accepted;
        }

        MarkChannelsStale();

        return End();
    }

    /// <summary>Logged in again: the grace timer stops; the calls wait for the Status list (bounded by the action timeout).</summary>
    public IReadOnlyList<CallUpdate> Reconnected(DateTimeOffset now)
    {
        Begin(now);
        _awaitingReconnect = false;
        _timers.Add(new CallTimer(0, CallTimerKind.ReconnectGrace, null));
        return End();
    }

    /// <summary>
    /// Folds the items of a <c>Status</c> action (with <c>Variables: &lt;tracking variable&gt;</c>)
    /// sent after a new login. Channels listed keep or join their calls (by Uniqueid, chosen id,
    /// tracking variable value or Linkedid) and report a changed state; channels known before the
    /// loss and not listed are gone, and a call left without channels ends with outcome
    /// <see cref="CallOutcome.LostDuringDisconnect"/>; a non-Local channel starting its own Linkedid
    /// that nobody tracks becomes an incoming call (when incoming calls are tracked).
    /// </summary>
    public IReadOnlyList<CallUpdate> Resynced(IReadOnlyList<AmiEvent> statusItems, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(statusItems);
        Begin(now);
        var listed = new HashSet<IdKey>();
        var undecided = new List<(TrackedChannel Channel, AmiEvent Item, ChannelState? State)>();
        foreach (var item in statusItems)
        {
            if (ResyncChannel(item, listed) is { } entry)
            {
                undecided.Add(entry);
            }
        }

        foreach (var (channel, item, state) in undecided)
        {
            DecideIncoming(channel, item, state);
        }

        var vanished = _channels.Records.Where(c => c.Stale && !listed.Contains(c.Id)).ToList();
        foreach (var channel in vanished)
        {
            Untrack(channel);
            if (channel.Owner is { } owner && owner.RemoveChannel(channel.Id))
            {
                Output(owner, null);
            }
        }

        var ended = 0;
        foreach (var call in _calls.Values.Where(c => c.InGap).OrderBy(c => c.Serial).ToList())
        {
            call.InGap = false;
            if (call.ChannelCount == 0 && !call.AwaitingOriginateResponse)
            {
                ended++;
                Finish(call, CallChange.Ended, new CallFailure("The call's channels were gone when the connection came back (" + _gapReason + ")"), CallOutcome.LostDuringDisconnect);
            }
        }

        CallLog.Resynchronised(_logger, listed.Count, vanished.Count, ended);
        LeaveGap();
        return End();
    }

    /// <summary>Re-synchronising failed (the Status action was refused, timed out, or the send failed): the calls that waited end as lost.</summary>
    public IReadOnlyList<CallUpdate> ResyncFailed(string reason, DateTimeOffset now)
    {
        Begin(now);
        EndGap("Could not re-synchronise after the reconnect: " + reason);
        return End();
    }

    /// <summary>Ends every call that waited through the gap as lost and forgets channels nobody confirmed.</summary>
    private void EndGap(string reason)
    {
        var waiting = _calls.Values.Where(c => c.InGap).OrderBy(c => c.Serial).ToList();
        if (waiting.Count > 0)
        {
            CallLog.ConnectionLost(_logger, waiting.Count);
        }

        foreach (var call in waiting)
        {
            Finish(call, CallChange.Ended, new CallFailure(reason), CallOutcome.Lost);
        }

        foreach (var channel in _channels.Records.Where(c => c.Stale).ToList())
        {
            Untrack(channel);
        }

        LeaveGap();
    }

    private void LeaveGap()
    {
        if (_inGap)
        {
            _timers.Add(new CallTimer(0, CallTimerKind.ReconnectGrace, null));
        }

        _inGap = false;
        _awaitingReconnect = false;
        foreach (var call in _calls.Values)
        {
            call.InGap = false;
        }

        foreach (var channel in _channels.Records)
        {
            channel.Stale = false;
        }
    }

    /// <summary>Matches one Status item; returns the channel when it may still become an incoming call.</summary>
    private (TrackedChannel, AmiEvent, ChannelState?)? ResyncChannel(AmiEvent item, HashSet<IdKey> listed)
    {
        var uniqueId = item["Uniqueid"];
        if (string.IsNullOrEmpty(uniqueId))
        {
            CallLog.MissingHeader(_logger, item.Name, "Uniqueid");
            return null;
        }

        var id = IdKey.From(uniqueId);
        listed.Add(id);
        var known = _channels.TryGetValue(id, out var channel);
        var stale = channel?.Stale == true;

        // An unknown channel is bound here when its id is one we chose or its Linkedid is a tracked call's.
        channel = Resolve(id, LinkedidOf(item, "Linkedid"), create: true)!;
        channel.NoteName(item, "Channel");
        if (channel.Owner is null && TrackingValue(item) is { } value
            && _byTrackingValue.TryGetValue(value, out var call) && !call.Terminal)
        {
            Bind(channel, call);
        }

        var state = ParseState(item);
        if (state is { } s)
        {
            ObserveStatusState(channel, s);
        }

        // Channels that started after the new login follow the normal path (their first Newstate).
        var decidable = !known || stale;
        return channel.Owner is null && !channel.IncomingDecided && decidable ? (channel, item, state) : null;
    }

    private void DecideIncoming(TrackedChannel channel, AmiEvent item, ChannelState? state)
    {
        if (channel.Owner is not null || channel.IncomingDecided)
        {
            return;
        }

        channel.IncomingDecided = true;
        var origin = channel.Newchannel ?? item;
        channel.Newchannel = null;
        if (TrackIncoming && !channel.IsLocal && channel.StartsOwnLinkedid && !_byLinkedid.ContainsKey(channel.Id))
        {
            StartIncoming(channel, state ?? channel.LastState, origin);
        }
    }

    private void ObserveStatusState(TrackedChannel channel, ChannelState state)
    {
        channel.LastState = state;
        if (channel.Owner is not { } call)
        {
            channel.Facts.ObserveState(state);
            return;
        }

        call.Facts.ObserveState(state);
        if (call.LastState != state)
        {
            call.LastState = state;
            Publish(call, CallChange.StateChanged);
        }
    }

    /// <summary>The value of our tracking variable in a Status item (<c>Variable: NAME=value</c>), or null when unset.</summary>
    private string? TrackingValue(AmiEvent item)
    {
        foreach (var variable in item.GetValues("Variable"))
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && variable.AsSpan(0, equals).Equals(_settings.TrackingVariable, StringComparison.OrdinalIgnoreCase))
            {
                var value = variable[(equals + 1)..];
                return value.Length == 0 || value == UnsetVariable ? null : value;
            }
        }

        return null;
    }

    /// <summary>Every known channel waits for the next Status list to confirm it (see <see cref="Resynced"/>).</summary>
    private void MarkChannelsStale()
    {
        foreach (var channel in _channels.Records)
        {
            channel.Stale = true;
        }
    }
}
