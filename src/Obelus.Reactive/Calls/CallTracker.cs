using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// The call fold: a single-threaded state machine from AMI events and the results of our own
/// Originate actions to per-call updates. It never reads a clock (the caller passes <c>now</c>),
/// never starts a timer (it asks for them, see <see cref="TakeTimers"/>), and never calls user
/// code, so tests drive it directly. Not thread-safe: one caller at a time.
/// </summary>
internal sealed partial class CallTracker
{
    private static readonly IReadOnlyList<CallUpdate> NoUpdates = [];

    private readonly CallTrackerSettings _settings;
    private readonly ILogger _logger;
    private readonly Dictionary<long, TrackedCall> _calls = [];
    private readonly Dictionary<string, TrackedCall> _byTrackingValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackedCall> _byActionId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackedCall> _byExpectedId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackedCall> _byLinkedid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackedChannel> _channels = new(StringComparer.Ordinal);
    private readonly List<CallTimer> _timers = [];
    private List<CallUpdate>? _output;
    private DateTimeOffset _now;
    private long _nextSerial;
    private long _highestNumericCallId;

    public CallTracker(CallTrackerSettings settings, ILogger? logger = null)
    {
        _settings = settings;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Whether non-Local channels starting their own Linkedid become incoming calls.</summary>
    public bool TrackIncoming { get; set; }

    /// <summary>Live calls (for tests and diagnostics).</summary>
    public int CallCount => _calls.Count;

    /// <summary>Sizes of every internal map, to show nothing is left behind.</summary>
    public int RetainedEntries =>
        _calls.Count + _byTrackingValue.Count + _byActionId.Count + _byExpectedId.Count + _byLinkedid.Count + _channels.Count;

    /// <summary>Registers one of our Originates before it is sent, so events that beat its response still bind.</summary>
    /// <returns>The serial the fold knows the call by.</returns>
    public long RegisterOutgoing(
        string callId,
        string actionId,
        bool async,
        TimeSpan originateTimeout,
        string? channelId,
        string? otherChannelId,
        DateTimeOffset now)
    {
        var call = new TrackedCall(++_nextSerial, callId, CallDirection.Outgoing)
        {
            ActionId = actionId,
            Async = async,
            OriginateTimeout = originateTimeout,
        };
        _calls.Add(call.Serial, call);
        _byTrackingValue[callId] = call;
        _byActionId[actionId] = call;
        foreach (var id in (ReadOnlySpan<string?>)[channelId, otherChannelId])
        {
            if (!string.IsNullOrEmpty(id))
            {
                _byExpectedId[id] = call;
                call.ExpectedIds.Add(id);
            }
        }

        if (channelId is not null)
        {
            // Asterisk gives both Local halves the ChannelId as Linkedid: later legs join through it.
            RegisterLinkedid(call, channelId);
        }

        if (long.TryParse(callId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) && numeric > _highestNumericCallId)
        {
            _highestNumericCallId = numeric;
        }

        var wait = async ? _settings.ResponseTimeout : _settings.ResponseTimeout + originateTimeout;
        _timers.Add(new CallTimer(call.Serial, CallTimerKind.Response, now + wait));
        return call.Serial;
    }

    /// <summary>Folds one AMI event.</summary>
    public IReadOnlyList<CallUpdate> Apply(AmiEvent amiEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(amiEvent);
        Begin(now);
        Dispatch(amiEvent);
        return End();
    }

    /// <summary>
    /// Folds the result of our Originate action: the response (Success or Error), or the
    /// exception sending it failed with (connection lost, timeout).
    /// </summary>
    public IReadOnlyList<CallUpdate> ApplyOriginateResult(long serial, AmiResponse? response, Exception? error, DateTimeOffset now)
    {
        Begin(now);
        if (!_calls.TryGetValue(serial, out var call) || call.ResponseSeen)
        {
            CallLog.LateOriginateResult(_logger, serial);
            return End();
        }

        _timers.Add(new CallTimer(serial, CallTimerKind.Response, null));
        if (response is not null && !response.IsError)
        {
            Accept(call);
            if (!call.Async)
            {
                // A synchronous Originate answers Success only once the call is answered.
                call.OriginateResultSeen = true;
                call.OriginateReason ??= 4;
            }
        }
        else
        {
            call.ResponseSeen = true;
            var message = response?.Message ?? error?.Message ?? "Originate failed";
            Finish(call, CallChange.Failed, new CallFailure(message));
        }

        return End();
    }

    /// <summary>A timer asked for earlier has fired.</summary>
    public IReadOnlyList<CallUpdate> Expire(CallTimer timer, DateTimeOffset now)
    {
        Begin(now);
        if (_calls.TryGetValue(timer.Serial, out var call))
        {
            switch (timer.Kind)
            {
                case CallTimerKind.Response when !call.ResponseSeen:
                    if (call.Bound)
                    {
                        CallLog.ResponseLateButBound(_logger, call.CallId);
                        Accept(call);
                    }
                    else
                    {
                        call.ResponseSeen = true;
                        Finish(call, CallChange.Failed, new CallFailure($"No response to Originate within {_settings.ResponseTimeout.TotalSeconds:0.###} s"));
                    }

                    break;
                case CallTimerKind.Bind when !call.Bound && !call.OriginateResultSeen:
                    Finish(call, CallChange.Failed, new CallFailure($"Accepted, but no channel appeared within the Originate timeout plus {_settings.BindTimeoutMargin.TotalSeconds:0.###} s"));
                    break;
                case CallTimerKind.OriginateResponseGrace when call.AwaitingOriginateResponse:
                    Finish(call, CallChange.Ended, null);
                    break;
                default:
                    break;
            }
        }

        return End();
    }

    /// <summary>
    /// The connection is gone: events may have been missed, so every live call ends now with
    /// outcome <see cref="CallOutcome.Lost"/> (Failed when the server had not accepted it yet),
    /// and the fold forgets every channel.
    /// </summary>
    public IReadOnlyList<CallUpdate> ConnectionLost(string reason, DateTimeOffset now)
    {
        Begin(now);
        var live = _calls.Values.OrderBy(c => c.Serial).ToList();
        if (live.Count > 0)
        {
            CallLog.ConnectionLost(_logger, live.Count);
        }

        foreach (var call in live)
        {
            call.ResponseSeen = true;
            Finish(call, call.Accepted ? CallChange.Ended : CallChange.Failed, new CallFailure(reason), lost: true);
        }

        _channels.Clear();
        return End();
    }

    /// <summary>The timers to start or stop since the last call (the driver schedules them).</summary>
    public IReadOnlyList<CallTimer> TakeTimers()
    {
        if (_timers.Count == 0)
        {
            return [];
        }

        var taken = _timers.ToArray();
        _timers.Clear();
        return taken;
    }

    private void Begin(DateTimeOffset now)
    {
        _now = now;
        _output = null;
    }

    private IReadOnlyList<CallUpdate> End()
    {
        var output = _output;
        _output = null;
        return output ?? NoUpdates;
    }

    private void Accept(TrackedCall call)
    {
        call.ResponseSeen = true;
        call.Accepted = true;
        Publish(call, CallChange.Queued);
        if (call.Held is { } held)
        {
            call.Held = null;
            foreach (var state in held)
            {
                Output(call, state);
            }
        }

        if (call.Async && !call.Bound && !call.OriginateResultSeen)
        {
            _timers.Add(new CallTimer(call.Serial, CallTimerKind.Bind, _now + call.OriginateTimeout + _settings.BindTimeoutMargin));
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
                _timers.Add(new CallTimer(call.Serial, CallTimerKind.OriginateResponseGrace, _now + _settings.OriginateResponseGrace));
            }

            return;
        }

        Finish(call, CallChange.Ended, null);
    }

    private void Finish(TrackedCall call, CallChange change, CallFailure? failure, bool lost = false)
    {
        if (call.Terminal)
        {
            return;
        }

        call.Terminal = true;
        call.Held = null;
        var outcome = lost ? CallOutcome.Lost : call.Facts.Resolve(call.Direction, call.OriginateReason);
        if (!lost && failure is null && call.OriginateFailed && call.OriginateReason is { } reason)
        {
            failure = CallFailure.FromOriginateReason(reason);
        }

        Output(call, Snapshot(call, change, outcome, failure));
        CallLog.CallFinished(_logger, call.CallId, call.Direction, change, outcome);
        Forget(call);
    }

    private void Forget(TrackedCall call)
    {
        _calls.Remove(call.Serial);
        if (call.Direction == CallDirection.Outgoing && _byTrackingValue.TryGetValue(call.CallId, out var byValue) && byValue == call)
        {
            _byTrackingValue.Remove(call.CallId);
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

        foreach (var uniqueId in call.Channels)
        {
            // Still live on the server (a failed or lost call): keep it as a candidate that can
            // never become an incoming call, so its Hangup cleans it up.
            if (_channels.TryGetValue(uniqueId, out var channel))
            {
                channel.Owner = null;
                channel.IncomingDecided = true;
            }
        }

        call.ClearChannels();
        _timers.Add(new CallTimer(call.Serial, CallTimerKind.Response, null));
        _timers.Add(new CallTimer(call.Serial, CallTimerKind.Bind, null));
        _timers.Add(new CallTimer(call.Serial, CallTimerKind.OriginateResponseGrace, null));
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
        UniqueIds = call.UniqueIds,
        Outcome = outcome,
        Timestamp = _now,
        ActionId = call.ActionId,
    };

    private void Publish(TrackedCall call, CallChange change)
    {
        var state = Snapshot(call, change);
        if (call.Direction == CallDirection.Outgoing && !call.Accepted)
        {
            (call.Held ??= []).Add(state);
            return;
        }

        Output(call, state);
    }

    private void Output(TrackedCall call, CallState? state, bool isNew = false, AmiEvent? origin = null) =>
        (_output ??= []).Add(new CallUpdate(call.Serial, call.CallId, call.Direction, state, call.UniqueIds, isNew, origin));

    private void RegisterLinkedid(TrackedCall call, string linkedid)
    {
        if (_byLinkedid.TryAdd(linkedid, call))
        {
            call.Linkedids.Add(linkedid);
        }
    }
}
