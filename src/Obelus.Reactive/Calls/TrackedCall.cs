namespace Obelus.Reactive.Calls;

/// <summary>The fold's mutable record of one live call.</summary>
internal sealed class TrackedCall(long serial, string callId, CallDirection direction)
{
    // Arrays replaced, never changed, on the rare add or remove: a call has one to four of each,
    // and the live channel array is the very list every state of the call carries.
    private string[] _channels = [];
    private string[] _linkedids = [];
    private string[] _expectedIds = [];

    public long Serial { get; } = serial;

    public string CallId { get; } = callId;

    public CallDirection Direction { get; } = direction;

    public string? ActionId { get; init; }

    public bool Async { get; init; }

    public TimeSpan OriginateTimeout { get; init; }

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
    public ReadOnlySpan<string> Linkedids => _linkedids;

    /// <summary>Channel ids this call expects to see (ones we chose, or one an OriginateResponse named).</summary>
    public ReadOnlySpan<string> ExpectedIds => _expectedIds;

    public int ChannelCount => _channels.Length;

    public ReadOnlySpan<string> Channels => _channels;

    /// <summary>The live channel ids as an array that is never mutated (shared by the states that carry it).</summary>
    public IReadOnlyList<string> UniqueIds => _channels;

    public void AddLinkedid(string linkedid) => _linkedids = Appended(_linkedids, linkedid);

    public void AddExpectedId(string uniqueId) => _expectedIds = Appended(_expectedIds, uniqueId);

    public void AddChannel(string uniqueId) => _channels = Appended(_channels, uniqueId);

    public bool RemoveChannel(string uniqueId)
    {
        var index = Array.IndexOf(_channels, uniqueId);
        if (index < 0)
        {
            return false;
        }

        // The last channel going is the common case: the shared empty array, not a new one, so a
        // call that lived long enough to be old gets no reference to a young object (which every
        // young collection would then have to scan for).
        _channels = _channels.Length == 1 ? [] : [.. _channels.AsSpan(0, index), .. _channels.AsSpan(index + 1)];
        return true;
    }

    public void ClearChannels() => _channels = [];

    /// <summary>
    /// <paramref name="array"/> with <paramref name="id"/> added. A call's first channel is most
    /// often its Linkedid too (and its expected id, when we chose it): then the first entry of each
    /// is one shared array, not one object more per live call for every collection to promote.
    /// </summary>
    private string[] Appended(string[] array, string id)
    {
        if (array.Length == 0)
        {
            foreach (var other in (ReadOnlySpan<string[]>)[_channels, _linkedids, _expectedIds])
            {
                if (other.Length == 1 && string.Equals(other[0], id, StringComparison.Ordinal))
                {
                    return other;
                }
            }

            return [id];
        }

        return [.. array, id];
    }
}
