using System.Runtime.InteropServices;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>The lifecycle side of the fold: accepting, ending and forgetting calls, and what it outputs.</summary>
internal sealed partial class CallTracker
{
    private void Accept(TrackedCall call)
    {
        call.ResponseSeen = true;
        call.Accepted = true;
        if (call.Deferred is { } deferred)
        {
            // The call's events were handled before its response (they travel a different path
            // from the wire to here): Queued still comes first, then each change in its order.
            call.Deferred = null;
            Output(call, deferred[0] with { Change = CallChange.Queued });
            foreach (var change in deferred)
            {
                Output(call, change);
            }
        }
        else
        {
            Publish(call, CallChange.Queued);
        }

        if (!call.Bound && (!call.Async || !call.OriginateResultSeen))
        {
            // An Async call has its whole timeout to produce a channel; a synchronous one was
            // answered already, so its channels should be reported at once.
            var wait = call.Async ? call.OriginateTimeout + _settings.BindTimeoutMargin : _settings.BindTimeoutMargin;
            StartTimer(call, CallTimerKind.Bind, _now + wait);
        }

        if (call.Bound && call.ChannelCount == 0)
        {
            // Every channel came and went before the response did.
            TryEnd(call);
        }
    }

    private void TryEnd(TrackedCall call)
    {
        if (call.Direction == CallDirection.Outgoing && !call.ResponseSeen)
        {
            return;
        }

        if (call.Async && !call.OriginateResultSeen)
        {
            if (!call.AwaitingOriginateResponse)
            {
                call.AwaitingOriginateResponse = true;
                StartTimer(call, CallTimerKind.OriginateResponseGrace, _now + _settings.OriginateResponseGrace);
            }

            return;
        }

        Finish(call, CallChange.Ended, null);
    }

    private void Finish(TrackedCall call, CallChange change, CallFailure? failure, CallOutcome? knownOutcome = null)
    {
        if (call.Terminal)
        {
            return;
        }

        call.Terminal = true;
        var outcome = knownOutcome ?? call.Facts.Resolve(call.Direction, call.OriginateReason);
        if (knownOutcome is null && failure is null && call.OriginateFailed && call.OriginateReason is { } reason)
        {
            failure = CallFailure.FromOriginateReason(reason);
        }

        var final = Snapshot(call, change, outcome, failure);
        Output(call, final);
        CallLog.CallFinished(_logger, final.CallId, call.Direction, change, outcome);
        Forget(call);
    }

    private void Forget(TrackedCall call)
    {
        _calls.Remove(call.Serial);
        if (call.Direction == CallDirection.Outgoing && _byTrackingValue.TryGetValue(call.Key, out var byValue) && byValue == call)
        {
            _byTrackingValue.Remove(call.Key);
            if (_settings.AdoptUnknownTrackingValues && call.ActionId is not null)
            {
                _endedRegistered.Add(call.CallId);
            }
        }

        if (call.ActionId is not null)
        {
            _byActionId.Remove(call.ActionId);
        }

        foreach (var id in call.ExpectedIds)
        {
            _byExpectedId.Remove(id);
        }

        foreach (var linkedid in call.Linkedids)
        {
            _byLinkedid.Remove(linkedid);
        }

        ref readonly var live = ref call.Channels;
        for (var i = 0; i < live.Count; i++)
        {
            // Still live on the server (a failed or lost call): keep it as a candidate that can
            // never become an incoming call, so its Hangup cleans it up.
            if (_channels.TryGetValue(live[i], out var channel))
            {
                channel.Owner = null;
                channel.IncomingDecided = true;
            }
        }

        call.ClearChannels();
        StopTimer(call, CallTimerKind.Response);
        StopTimer(call, CallTimerKind.Bind);
        StopTimer(call, CallTimerKind.OriginateResponseGrace);
        Recycle(call);
    }

    private void StartTimer(TrackedCall call, CallTimerKind kind, DateTimeOffset due)
    {
        call.TimersStarted |= 1 << (int)kind;
        _timers.Add(new CallTimer(call.Serial, kind, due));
    }

    /// <summary>
    /// Asks for timer <paramref name="kind"/> of <paramref name="call"/> to stop, only when it was
    /// started: adopted and incoming calls start none, and stopping three timers that never ran
    /// for each of them was work for the driver and nothing else.
    /// </summary>
    private void StopTimer(TrackedCall call, CallTimerKind kind)
    {
        var bit = 1 << (int)kind;
        if ((call.TimersStarted & bit) != 0)
        {
            call.TimersStarted &= ~bit;
            _timers.Add(new CallTimer(call.Serial, kind, null));
        }
    }

    private CallState Snapshot(TrackedCall call, CallChange change, CallOutcome? outcome = null, CallFailure? failure = null) => new()
    {
        CallId = call.CallId,
        Direction = call.Direction,
        Change = change,
        ChannelState = call.LastState,
        DialStatus = call.DialStatus,
        HangupCause = call.Cause is { } cause ? (HangupCause)cause : null,
        Failure = failure,
        UniqueIds = ChannelsOf(call),
        Outcome = outcome,
        Timestamp = _now,
        ActionId = call.ActionId,
    };

    private void Publish(TrackedCall call, CallChange change)
    {
        if (call.Direction == CallDirection.Outgoing && !call.Accepted)
        {
            // Not accepted yet (events overtook the response): Queued must come first, so the
            // change waits for it (see Accept); a call that fails instead never shows them.
            (call.Deferred ??= []).Add(Snapshot(call, change));
            Output(call, null);
            return;
        }

        Output(call, Snapshot(call, change));
    }

    /// <summary>
    /// Starts an incoming call on <paramref name="channel"/>, a non-Local channel that starts its own
    /// Linkedid and no call has, with <paramref name="state"/> as its first state; unless the limit
    /// of live calls is reached.
    /// </summary>
    private void StartIncoming(TrackedChannel channel, ChannelState? state, AmiEvent origin)
    {
        var callId = channel.Id.ToString();
        if (!RoomForCall(callId))
        {
            return;
        }

        var incoming = NewCall(callId, CallDirection.Incoming);
        incoming.Accepted = true;
        incoming.ResponseSeen = true;
        Bind(channel, incoming, quiet: true);
        incoming.LastState = state;
        Output(incoming, Snapshot(incoming, CallChange.StateChanged), isNew: true, origin);
    }

    private void Output(TrackedCall call, CallState? state, bool isNew = false, AmiEvent? origin = null) =>
        _output.Add(new CallUpdate(call.Serial, state?.CallId ?? call.CallId, call.Direction, state, ChannelsOf(call), isNew, origin));

    /// <summary>
    /// The list of <paramref name="call"/>'s live channel ids for its states and updates: one list
    /// for the state and update an event makes, a new one after its channels change.
    /// </summary>
    /// <remarks>
    /// Not kept in the call's record: that record is old, the list young, and every young
    /// collection would have to find the list through it (the fold's largest pause once ids were
    /// held by value). The tracker keeps only the last one, one reference for all calls.
    /// </remarks>
    private ChannelIdList ChannelsOf(TrackedCall call)
    {
        if (!ReferenceEquals(_lastListCall, call) || _lastListVersion != call.ChannelsVersion || _lastList is null)
        {
            _lastList = ChannelIdList.Of(in call.Channels);
            _lastListCall = call;
            _lastListVersion = call.ChannelsVersion;
        }

        return _lastList;
    }

    /// <summary>
    /// Indexes <paramref name="linkedid"/> under <paramref name="call"/> unless another call has it.
    /// </summary>
    /// <returns>Whether the Linkedid is <paramref name="call"/>'s (now or already).</returns>
    private bool RegisterLinkedid(TrackedCall call, IdKey linkedid)
    {
        // One lookup for both questions: is it taken, and by whom.
        ref var owner = ref CollectionsMarshal.GetValueRefOrAddDefault(_byLinkedid, linkedid, out var taken);
        if (taken)
        {
            return owner == call;
        }

        owner = call;
        call.AddLinkedid(linkedid);
        return true;
    }
}
