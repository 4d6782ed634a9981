namespace Obelus.Reactive.Calls;

/// <summary>The fold's mutable record of one live call.</summary>
/// <remarks>
/// The record of a call that ended is reused for a later one (see <see cref="Start"/>): by then it
/// is old, so a new call costs young collections one object fewer to find and promote.
/// </remarks>
internal sealed class TrackedCall : IKeyedRecord
{
    // Channel ids, Linkedids and expected ids are a few ids nearly always, held in the record
    // itself and changed in place.
    private LiveChannelIds _channels;
    private IdList _linkedids;
    private IdList _expectedIds;
    private string? _callIdText;

    public TrackedCall(long serial, string callId, CallDirection direction) => Start(serial, callId, direction);

    public long Serial { get; private set; }

    /// <summary>The call's id as a string: a new one each time, unless it is too long to be held by value.</summary>
    /// <remarks>
    /// Not kept in the record: a string made when the call starts is young while the reused record
    /// is old, one more object for each young collection to find and promote per live call.
    /// </remarks>
    public string CallId => _callIdText ?? Key.ToString();

    /// <summary>The call's id by value: the tracking value it is found by among the calls we originated.</summary>
    public IdKey Key { get; private set; }

    public CallDirection Direction { get; private set; }

    public string? ActionId { get; set; }

    public bool Async { get; set; }

    public TimeSpan OriginateTimeout { get; set; }

    /// <summary>The server accepted the call (Success response; always true for incoming and adopted calls).</summary>
    public bool Accepted { get; set; }

    /// <summary>The Originate action got its response (or it never will: incoming and adopted calls).</summary>
    public bool ResponseSeen { get; set; }

    /// <summary>The outcome of the Originate is known: OriginateResponse, or a synchronous Success.</summary>
    public bool OriginateResultSeen { get; set; }

    public int? OriginateReason { get; set; }

    /// <summary>The OriginateResponse said Failure.</summary>
    public bool OriginateFailed { get; set; }

    public bool Bound { get; set; }

    public bool AwaitingOriginateResponse { get; set; }

    public bool Terminal { get; set; }

    /// <summary>The kinds of timer started for this call and not stopped since, one bit each (see <c>CallTracker.StopTimer</c>).</summary>
    public int TimersStarted { get; set; }

    /// <summary>Changes seen before the server accepted the call, published right after its Queued.</summary>
    public List<CallState>? Deferred { get; set; }

    /// <summary>Live when the connection was lost and not re-synchronised yet.</summary>
    public bool InGap { get; set; }

    public ChannelState? LastState { get; set; }

    public string? DialStatus { get; set; }

    public int? Cause { get; set; }

    /// <summary>A field, not a property: the fold updates it in place.</summary>
    public OutcomeFacts Facts;

    /// <summary>The Linkedids indexed for this call.</summary>
    public IdList Linkedids => _linkedids;

    /// <summary>Channel ids this call expects to see (ones we chose, or one an OriginateResponse named).</summary>
    public IdList ExpectedIds => _expectedIds;

    public int ChannelCount => _channels.Count;

    /// <summary>The live channel ids, changed in place (the lists states carry are made from them).</summary>
    public ref readonly LiveChannelIds Channels => ref _channels;

    /// <summary>Changes each time the channel ids do, across reuses of the record too.</summary>
    public int ChannelsVersion { get; private set; }

    /// <summary>
    /// Makes this record that of a new call: every field as a call starts. A new record goes
    /// through here too, so a reused one cannot keep anything of the call before it.
    /// </summary>
    public TrackedCall Start(long serial, string callId, CallDirection direction)
    {
        Serial = serial;
        Key = IdKey.From(callId);
        _callIdText = Key.Text;
        Direction = direction;
        ActionId = null;
        Async = false;
        OriginateTimeout = TimeSpan.Zero;
        Accepted = false;
        ResponseSeen = false;
        OriginateResultSeen = false;
        OriginateReason = null;
        OriginateFailed = false;
        Bound = false;
        AwaitingOriginateResponse = false;
        Terminal = false;
        TimersStarted = 0;
        Deferred = null;
        InGap = false;
        LastState = null;
        DialStatus = null;
        Cause = null;
        Facts = default;
        ClearChannels();
        _linkedids.Clear();
        _expectedIds.Clear();
        return this;
    }

    public void AddLinkedid(IdKey linkedid) => _linkedids.Add(linkedid);

    public void AddExpectedId(IdKey uniqueId) => _expectedIds.Add(uniqueId);

    public void AddChannel(IdKey uniqueId)
    {
        _channels.Add(uniqueId);
        ChannelsVersion++;
    }

    public bool RemoveChannel(IdKey uniqueId)
    {
        if (!_channels.Remove(uniqueId))
        {
            return false;
        }

        ChannelsVersion++;
        return true;
    }

    public void ClearChannels()
    {
        _channels.Clear();
        ChannelsVersion++;
    }
}
