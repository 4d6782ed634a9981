namespace Obelus.Reactive.Calls;

/// <summary>The fold's mutable record of one live call.</summary>
internal sealed class TrackedCall(long serial, string callId, CallDirection direction)
{
    private static readonly string[] NoIds = [];
    private readonly List<string> _channels = [];
    private string[]? _snapshot = NoIds;

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

    public List<string> Linkedids { get; } = [];

    public List<string> ExpectedIds { get; } = [];

    public int ChannelCount => _channels.Count;

    public IReadOnlyList<string> Channels => _channels;

    /// <summary>The live channel ids as an array that is never mutated (shared by the states that carry it).</summary>
    public IReadOnlyList<string> UniqueIds => _snapshot ??= [.. _channels];

    public void AddChannel(string uniqueId)
    {
        _channels.Add(uniqueId);
        _snapshot = null;
    }

    public bool RemoveChannel(string uniqueId)
    {
        if (!_channels.Remove(uniqueId))
        {
            return false;
        }

        _snapshot = null;
        return true;
    }

    public void ClearChannels()
    {
        _channels.Clear();
        _snapshot = NoIds;
    }
}
