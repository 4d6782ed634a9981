using System.Buffers.Text;
using System.Globalization;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>The event side of the fold: one handler per event that matters, both AMI dialects.</summary>
internal sealed partial class CallTracker
{
    private const string UnknownId = "<unknown>";

    private void Dispatch(AmiEvent e, FoldEvent kind)
    {
        switch (kind)
        {
            case FoldEvent.Newstate:
                OnNewstate(e);
                break;
            case FoldEvent.VarSet:
                OnVarSet(e);
                break;
            case FoldEvent.Newchannel:
                OnNewchannel(e);
                break;
            case FoldEvent.Hangup:
                OnHangup(e);
                break;
            case FoldEvent.HangupRequest:
                OnHangupRequest(e);
                break;
            case FoldEvent.DialBegin:
                OnDial(e, begin: true, "Uniqueid", "DestUniqueid", "DestLinkedid");
                break;
            case FoldEvent.DialEnd:
                OnDial(e, begin: false, "Uniqueid", "DestUniqueid", "DestLinkedid");
                break;
            case FoldEvent.LegacyDial:
                OnLegacyDial(e);
                break;
            case FoldEvent.LocalBridge:
                OnLocalBridge(e);
                break;
            case FoldEvent.OriginateResponse:
                OnOriginateResponse(e);
                break;
            default:
                break;
        }
    }

    private void OnNewchannel(AmiEvent e)
    {
        var channel = Resolve(e, create: true);
        if (channel is null)
        {
            return;
        }

        channel.NoteName(e, "Channel");
        if (channel.Owner is null && !channel.IncomingDecided && !channel.IsLocal)
        {
            channel.Newchannel = e;
        }
    }

    private void OnVarSet(AmiEvent e)
    {
        if (!e.HeaderEquals("Variable", _settings.TrackingVariable))
        {
            return;
        }

        var valueIndex = HeaderWithValue(e, "Value");
        var idIndex = HeaderWithValue(e, "Uniqueid");
        if (valueIndex is not { } valueAt || idIndex is not { } index)
        {
            CallLog.MissingHeader(_logger, e.Name, valueIndex is null ? "Value" : "Uniqueid");
            return;
        }

        // Every channel of a call sets the variable again (it is inherited): only the first one
        // needs the value as a string.
        if (!_byTrackingValue.TryGetValue(e.ValueBytesAt(valueAt), out var call))
        {
            var value = e.ValueAt(valueAt);
            if (!_settings.AdoptUnknownTrackingValues || _endedRegistered.Contains(value))
            {
                var uniqueId = e.ValueAt(index);
                if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) && numeric > 0 && numeric <= _highestNumericCallId)
                {
                    CallLog.TrackingValueOfEndedCall(_logger, _settings.TrackingVariable, uniqueId, value);
                }
                else
                {
                    CallLog.UnknownTrackingValue(_logger, _settings.TrackingVariable, uniqueId, value);
                }

                // Our variable marks an Originate of ours, so this channel is no incoming call.
                if (_channels.TryGetValue(uniqueId, out var orphan) && orphan.Owner is null)
                {
                    orphan.IncomingDecided = true;
                    orphan.Newchannel = null;
                }

                return;
            }

            if (!RoomForCall(value))
            {
                return;
            }

            // Someone originated this call and the server accepted it: it starts out queued.
            call = NewCall(value, CallDirection.Outgoing);
            call.Accepted = true;
            call.ResponseSeen = true;
            _byTrackingValue.Set(call);
            Output(call, Snapshot(call, CallChange.Queued), isNew: true);
        }

        var channel = ResolveAt(e, index, "Linkedid", create: true)!;
        channel.NoteName(e, "Channel");
        if (channel.Owner is { } owner && owner != call)
        {
            CallLog.ChannelAlreadyBound(_logger, channel.Id.ToString(), owner.CallId, call.CallId);
            return;
        }

        Bind(channel, call);
    }

    private void OnNewstate(AmiEvent e)
    {
        var channel = Resolve(e, create: false);
        var state = ParseState(e);
        if (channel is null || state is null)
        {
            return;
        }

        channel.LastState = state;
        if (channel.Owner is { } call)
        {
            call.Facts.ObserveState(state.Value);
            if (call.LastState != state)
            {
                call.LastState = state;
                Publish(call, CallChange.StateChanged);
            }

            return;
        }

        channel.Facts.ObserveState(state.Value);
        if (channel.IncomingDecided)
        {
            return;
        }

        channel.IncomingDecided = true;
        var origin = channel.Newchannel;
        channel.Newchannel = null;
        if (TrackIncoming && origin is not null && !channel.IsLocal && channel.StartsOwnLinkedid)
        {
            StartIncoming(channel, state, origin);
        }
    }

    private void OnLocalBridge(AmiEvent e)
    {
        if ((HeaderWithValue(e, "LocalOneUniqueid") ?? HeaderWithValue(e, "Uniqueid1")) is not { } one
            || (HeaderWithValue(e, "LocalTwoUniqueid") ?? HeaderWithValue(e, "Uniqueid2")) is not { } two)
        {
            CallLog.MissingHeader(_logger, e.Name, "LocalOneUniqueid/LocalTwoUniqueid");
            return;
        }

        var first = ResolveAt(e, one, "LocalOneLinkedid", create: false);
        var second = ResolveAt(e, two, "LocalTwoLinkedid", create: false);
        if (first is { Owner: null } && second is { Owner: null })
        {
            // Neither half is a call's yet (before Asterisk 12 nothing but a Dial will say whose
            // they are): whichever is bound first brings the other (see BindCore).
            first.LocalPeer = second;
            second.LocalPeer = first;
        }
        else if (first?.Owner is { } call1 && second?.Owner is null)
        {
            second ??= Track(IdKey.From(e.ValueBytesAt(two)), LinkedidOf(e, "LocalTwoLinkedid"));
            second.NoteName(e, "LocalTwoChannel", "Channel2");
            Bind(second, call1);
        }
        else if (second?.Owner is { } call2 && first?.Owner is null)
        {
            first ??= Track(IdKey.From(e.ValueBytesAt(one)), LinkedidOf(e, "LocalOneLinkedid"));
            first.NoteName(e, "LocalOneChannel", "Channel1");
            Bind(first, call2);
        }
    }

    private void OnLegacyDial(AmiEvent e)
    {
        var subEvent = e["SubEvent"];
        if (string.Equals(subEvent, "Begin", StringComparison.OrdinalIgnoreCase))
        {
            OnDial(e, begin: true, "UniqueID", "DestUniqueID", null);
        }
        else if (string.Equals(subEvent, "End", StringComparison.OrdinalIgnoreCase))
        {
            OnDial(e, begin: false, "UniqueID", "DestUniqueID", null);
        }
    }

    /// <summary>A dial beginning or ending, its two channels named by the headers given (they differ between the dialects).</summary>
    private void OnDial(AmiEvent e, bool begin, string callerHeader, string destHeader, string? destLinkedidHeader)
    {
        var caller = HeaderWithValue(e, callerHeader) is { } callerIndex ? ResolveAt(e, callerIndex, "Linkedid", create: false) : null;
        var dest = HeaderWithValue(e, destHeader) is { } destIndex ? ResolveAt(e, destIndex, destLinkedidHeader, create: false) : null;
        var call = caller?.Owner ?? dest?.Owner;
        var status = begin ? null : CallTexts.DialStatusOf(e);
        if (call is null)
        {
            // Remember the result on the dialed channel: it may be bound later (OriginateResponse).
            if (dest is not null && status is not null)
            {
                dest.Facts.ObserveDialStatus(status);
                dest.DialStatus = status;
            }

            return;
        }

        if (begin)
        {
            if (dest is { Owner: null } && caller?.Owner == call)
            {
                // Servers before Asterisk 12 give the dialed channel no Linkedid: only the Dial says
                // it is a leg of the caller's call, and left alone it would become an incoming call.
                Bind(dest, call);
            }

            Publish(call, CallChange.DialingStarted);
            return;
        }

        call.DialStatus = status;
        call.Facts.ObserveDialStatus(status);
        Publish(call, CallChange.DialingFinished);
    }

    private void OnHangupRequest(AmiEvent e)
    {
        var channel = Resolve(e, create: false);
        if (channel is not null && ParseInt(e, "Cause") is { } cause)
        {
            UpdateCause(channel, cause);
        }
    }

    private void OnHangup(AmiEvent e)
    {
        var channel = Resolve(e, create: false);
        if (channel is null)
        {
            if (e["Uniqueid"] is { } unknown)
            {
                CallLog.UnknownHangup(_logger, unknown);
            }

            return;
        }

        if (ParseInt(e, "Cause") is { } cause)
        {
            UpdateCause(channel, cause);
        }

        Untrack(channel);
        if (channel.Owner is null)
        {
            // An OriginateResponse naming it may still come (see OnOriginateResponse).
            _recentlyGone.Add(channel.Id);
        }
        else if (channel.Owner is { } call && call.RemoveChannel(channel.Id))
        {
            Output(call, null);
            if (call.ChannelCount == 0)
            {
                TryEnd(call);
            }
        }

        // Out of the map and of every candidate chain: nothing refers to the record any more.
        if (_spareChannels.Count < MaximumSpareRecords)
        {
            _spareChannels.Push(channel);
        }
    }

    private void OnOriginateResponse(AmiEvent e)
    {
        var actionId = e.ActionId;
        if (actionId is null || !_byActionId.TryGetValue(actionId, out var call) || call.OriginateResultSeen)
        {
            CallLog.UnknownOriginateResponse(_logger, actionId);
            return;
        }

        call.OriginateResultSeen = true;
        var reason = ParseInt(e, "Reason");
        call.OriginateReason = reason;
        var success = string.Equals(e["Response"], "Success", StringComparison.OrdinalIgnoreCase);
        call.OriginateFailed = !success;
        IdKey? uniqueId = e["Uniqueid"] is { Length: > 0 } named && named != UnknownId ? IdKey.From(named) : null;
        if (success && uniqueId is { } bindable)
        {
            // No VarSet and no ChannelId reached us (e.g. a read=call user on an old server): bind now.
            BindNamedChannel(call, bindable);
        }

        if (call.Terminal)
        {
            return;
        }

        if (!call.Bound)
        {
            // A failure with a reason other than 0 had channels (they were busy, rang out, ...):
            // when they are ones we chose, they may still be on their way, as below.
            var channelsToCome = success || (reason is > 0 && call.ExpectedIds.Count > 0);
            if (!channelsToCome || (uniqueId is { } gone && _recentlyGone.Contains(gone)))
            {
                // Failed without a channel; or its channel came and went before this response. Any
                // channel of a failed Originate that still shows up is an orphan (see Resolve).
                Finish(call, success ? CallChange.Ended : CallChange.Failed, null);
                return;
            }

            // Under load a real server can send the response before the first event of its
            // channel: that channel is still to come. Expect it by the Uniqueid the response names
            // (or the ids we chose), and give up only if it never shows.
            if (uniqueId is { } expected && _byExpectedId.TryAdd(expected, call))
            {
                call.AddExpectedId(expected);
            }

            StartTimer(call, CallTimerKind.Bind, _now + _settings.BindTimeoutMargin);
        }
        else if (call.AwaitingOriginateResponse || (call.Accepted && call.ChannelCount == 0))
        {
            Finish(call, CallChange.Ended, null);
        }
    }

    /// <summary>
    /// Binds the channel an OriginateResponse names when nothing bound it yet; when that channel has
    /// hung up already, the channels it started (sharing its Uniqueid as Linkedid) are the call's.
    /// </summary>
    private void BindNamedChannel(TrackedCall call, IdKey uniqueId)
    {
        if (_channels.TryGetValue(uniqueId, out var channel))
        {
            if (channel.Owner is null)
            {
                Bind(channel, call);
            }
        }
        else if (FirstUnboundCandidate(uniqueId) is { } leg)
        {
            // Binding one leg binds every candidate on its Linkedid.
            Bind(leg, call);
        }
    }

    private static ChannelState? ParseState(AmiEvent e) =>
        ParseInt(e, "ChannelState") is { } number ? (ChannelState)number : CallTexts.ParseStateName(e["State"]);

    /// <summary>An integer header read from its bytes (no string for a number that is only compared).</summary>
    private static int? ParseInt(AmiEvent e, string header) =>
        e.TryGetValueBytes(header, out var text) && Utf8Parser.TryParse(text, out int value, out var consumed) && consumed == text.Length ? value : null;
}
