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
    private readonly RecordMap<TrackedCall> _byTrackingValue = new();
    private readonly Dictionary<string, TrackedCall> _byActionId = new(StringComparer.Ordinal);
    private readonly Dictionary<IdKey, TrackedCall> _byExpectedId = [];
    private readonly Dictionary<IdKey, TrackedCall> _byLinkedid = [];
    private readonly RecordMap<TrackedChannel> _channels = new();
    private readonly Dictionary<IdKey, TrackedChannel> _candidatesByLinkedid = [];
    private List<CallTimer> _timers = [];
    private List<CallTimer> _takenTimers = [];

    // Records of channels that hung up and of calls that ended, reused for new ones (see
    // TrackedChannel.Reuse and TrackedCall.Start). A call's record waits for the end of the step
    // it ended in: until then the step may still be reading it.
    private readonly Stack<TrackedChannel> _spareChannels = new();
    private readonly Stack<TrackedCall> _spareCalls = new();
    private readonly RecentChannels _recentChannels = new();
    private readonly List<TrackedCall> _endedThisStep = [];
    private readonly RecentIds _recentlyGone;

    // Tracking values of calls registered here that have ended; only kept when unknown values are
    // adopted (a replay), so that a late VarSet of one of them does not start a second call.
    private readonly HashSet<string> _endedRegistered = new(StringComparer.Ordinal);
    // Reused by every step: what a step returns is read before the next one starts.
    private List<CallUpdate> _output = [];

    // The last channel list made for a state or update (see ChannelsOf).
    private TrackedCall? _lastListCall;
    private int _lastListVersion;
    private ChannelIdList? _lastList;
    private DateTimeOffset _now;
    private long _nextSerial;
    private long _highestNumericCallId;

    public CallTracker(CallTrackerSettings settings, ILogger? logger = null)
    {
        _settings = settings;
        _recentlyGone = new RecentIds(settings.RecentHangupMemory);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Whether non-Local channels starting their own Linkedid become incoming calls.</summary>
    public bool TrackIncoming { get; set; }

    /// <summary>Calls not followed because <see cref="CallTrackerSettings.MaxCalls"/> were live already.</summary>
    public long CallsRefused { get; private set; }

    /// <summary>
    /// Whether one more discovered call may be followed; when not, it is counted and logged (at the
    /// 1st, 2nd, 4th, 8th… refusal, so a flood cannot flood the log too).
    /// </summary>
    private bool RoomForCall(string callId)
    {
        if (_calls.Count < _settings.MaxCalls)
        {
            return true;
        }

        CallsRefused++;
        if ((CallsRefused & (CallsRefused - 1)) == 0)
        {
            CallLog.CallLimitReached(_logger, _settings.MaxCalls, callId, CallsRefused);
        }

        return false;
    }

    /// <summary>Live calls (for tests and diagnostics).</summary>
    public int CallCount => _calls.Count;

    /// <summary>Capacity of every internal map, in entries: what a peak of live calls leaves allocated.</summary>
    public int RetainedCapacity =>
        _calls.Capacity + _byTrackingValue.Capacity + _byActionId.Capacity + _byExpectedId.Capacity + _byLinkedid.Capacity + _channels.Capacity + _candidatesByLinkedid.Capacity;

    /// <summary>Room kept in the lists of timers to start or stop, to show a peak leaves none behind.</summary>
    public int RetainedTimerCapacity => _timers.Capacity + _takenTimers.Capacity;

    /// <summary>Sizes of every internal map, to show nothing is left behind.</summary>
    public int RetainedEntries =>
        _calls.Count + _byTrackingValue.Count + _byActionId.Count + _byExpectedId.Count + _byLinkedid.Count + _channels.Count + _candidatesByLinkedid.Count;

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
        var call = NewCall(callId, CallDirection.Outgoing);
        call.ActionId = actionId;
        call.Async = async;
        call.OriginateTimeout = originateTimeout;
        _byTrackingValue.Set(call);
        _byActionId[actionId] = call;
        foreach (var id in (ReadOnlySpan<string?>)[channelId, otherChannelId])
        {
            if (!string.IsNullOrEmpty(id))
            {
                var key = IdKey.From(id);
                _byExpectedId[key] = call;
                call.AddExpectedId(key);
            }
        }

        if (channelId is not null)
        {
            // Asterisk gives both Local halves the ChannelId as Linkedid: later legs join through it.
            RegisterLinkedid(call, IdKey.From(channelId));
        }

        if (long.TryParse(callId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) && numeric > _highestNumericCallId)
        {
            _highestNumericCallId = numeric;
        }

        var wait = async ? _settings.ResponseTimeout : _settings.ResponseTimeout + originateTimeout;
        StartTimer(call, CallTimerKind.Response, now + wait);
        return call.Serial;
    }

    /// <summary>Folds one AMI event.</summary>
    /// <returns>The updates, in a list the next step of the fold reuses: read it before calling again.</returns>
    public IReadOnlyList<CallUpdate> Apply(AmiEvent amiEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(amiEvent);
        return Apply(amiEvent, FoldEvents.Classify(amiEvent.NameBytes), now);
    }

    /// <summary>Folds one AMI event the caller has classified already.</summary>
    public IReadOnlyList<CallUpdate> Apply(AmiEvent amiEvent, FoldEvent kind, DateTimeOffset now)
    {
        if (kind == FoldEvent.None)
        {
            // Most of a server's events: no handler, so no step to begin or end (the engine does
            // not even queue them; a replay or a test handing every event over pays nothing more).
            return NoUpdates;
        }

        Begin(now);
        Dispatch(amiEvent, kind);
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

        StopTimer(call, CallTimerKind.Response);
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
        if (timer.Kind == CallTimerKind.ReconnectGrace)
        {
            if (_awaitingReconnect)
            {
                EndGap($"Not connected again within {_settings.ReconnectGrace.TotalSeconds:0.###} s of the loss ({_gapReason})");
            }

            return End();
        }

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
                case CallTimerKind.Bind when !call.Bound && !call.Async:
                    // Answered (the synchronous response says so) but none of its channels was
                    // recognised (no VarSet, no chosen ids): nothing more can be learnt about it.
                    Finish(call, CallChange.Ended, new CallFailure($"Answered, but none of its channels was seen within {_settings.BindTimeoutMargin.TotalSeconds:0.###} s"));
                    break;
                case CallTimerKind.Bind when !call.Bound && !call.OriginateResultSeen:
                    Finish(call, CallChange.Failed, new CallFailure($"Accepted, but no channel appeared within the Originate timeout plus {_settings.BindTimeoutMargin.TotalSeconds:0.###} s"));
                    break;
                case CallTimerKind.Bind when !call.Bound:
                    // The OriginateResponse came, yet none of its channels reached us (events
                    // filtered out, or no permission to read them).
                    Finish(call, call.OriginateFailed ? CallChange.Failed : CallChange.Ended, new CallFailure($"The server reported the Originate's result, but none of its channels was seen within {_settings.BindTimeoutMargin.TotalSeconds:0.###} s"));
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
            Finish(call, call.Accepted ? CallChange.Ended : CallChange.Failed, new CallFailure(reason), CallOutcome.Lost);
        }

        _channels.Clear();
        _recentChannels.Clear();
        _candidatesByLinkedid.Clear();
        _recentlyGone.Clear();
        LeaveGap();
        return End();
    }

    /// <summary>
    /// The timers to start or stop since the last call (the driver schedules them). The list is
    /// the tracker's own and holds them only until the next call: read it, do not keep it.
    /// </summary>
    public IReadOnlyList<CallTimer> TakeTimers()
    {
        // The list handed out last time has been read by now. Two lists in turn: most steps that
        // end a call ask for timers, and an array for each was a tenth of what the fold allocated.
        Empty(ref _takenTimers);
        if (_timers.Count == 0)
        {
            return [];
        }

        (_timers, _takenTimers) = (_takenTimers, _timers);
        return _takenTimers;
    }

    private void Begin(DateTimeOffset now)
    {
        _now = now;
        Empty(ref _output);
    }

    private IReadOnlyList<CallUpdate> End()
    {
        foreach (var ended in _endedThisStep)
        {
            _spareCalls.Push(ended);
        }

        _endedThisStep.Clear();

        // Here, between steps, no map is being enumerated: trimming one mid-step could break a loop
        // over it. Checking all seven is two reads each, cheaper than tracking which step removed what.
        ShrinkSparse(_calls);
        ShrinkSparse(_byTrackingValue);
        ShrinkSparse(_byActionId);
        ShrinkSparse(_byExpectedId);
        ShrinkSparse(_byLinkedid);
        ShrinkSparse(_channels);
        ShrinkSparse(_candidatesByLinkedid);

        return _output.Count == 0 ? NoUpdates : _output;
    }

    /// <summary>Empties a list the tracker reuses from step to step; after a step that ended every call at once, it does not keep room for all of them.</summary>
    private static void Empty<T>(ref List<T> list)
    {
        if (list.Capacity > MaximumKeptListCapacity)
        {
            list = [];
        }

        list.Clear();
    }

    /// <summary>
    /// A dictionary keeps its capacity after a peak (100 000 live calls left ~13 MB of empty
    /// maps). Once three quarters of it is unused it is cut to twice its entries: each cut
    /// rehashes n entries after at least n removals, so the cost per call stays constant.
    /// </summary>
    private static void ShrinkSparse<TKey, TValue>(Dictionary<TKey, TValue> map)
        where TKey : notnull
    {
        if (SparseCapacity(map.Count, map.Capacity) is { } capacity)
        {
            map.TrimExcess(capacity);
        }
    }

    /// <summary>The same for a map of records.</summary>
    private static void ShrinkSparse<TRecord>(RecordMap<TRecord> map)
        where TRecord : class, IKeyedRecord
    {
        if (SparseCapacity(map.Count, map.Capacity) is { } capacity)
        {
            map.TrimExcess(capacity);
        }
    }

    /// <summary>The capacity to cut a map to, or null to leave it.</summary>
    private static int? SparseCapacity(int count, int capacity) =>
        capacity > MinimumKeptCapacity && count < capacity / 4 ? Math.Max(count * 2, MinimumKeptCapacity) : null;

    /// <summary>A record for a new call, reused when one is spare, under the next serial and in the map of live calls.</summary>
    private TrackedCall NewCall(string callId, CallDirection direction)
    {
        var serial = ++_nextSerial;
        var call = _spareCalls.TryPop(out var spare) ? spare.Start(serial, callId, direction) : new TrackedCall(serial, callId, direction);
        _calls.Add(serial, call);
        return call;
    }

    /// <summary>Keeps the record of a call that has just been forgotten for a later call, while spares are wanted.</summary>
    private void Recycle(TrackedCall call)
    {
        if (_spareCalls.Count + _endedThisStep.Count < MaximumSpareRecords)
        {
            _endedThisStep.Add(call);
        }
    }

    private const int MaximumKeptListCapacity = 256;

    // Hangups and new channels (ends and new calls) alternate on a busy server, so a few spares
    // serve every new one; more would only be memory kept after a peak.
    private const int MaximumSpareRecords = 1024;

    // Small maps are left alone: trimming them would only make the next few calls grow them again.
    private const int MinimumKeptCapacity = 64;
}
