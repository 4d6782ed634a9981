namespace Obelus.Reactive.Testing;

/// <summary>
/// Switches that make the simulated server misbehave, for reliability tests. All are off by
/// default and can be flipped at any time; they apply to every session.
/// </summary>
public sealed class AmiSimulatorFaults
{
    private bool _stopAnswering;
    private bool _duplicateResponses;
    private bool _unknownActionIds;
    private bool _originateResponseFirst;

    /// <summary>
    /// Half-open connection: while true the server reads and handles actions but writes nothing
    /// (no responses, no events); the connection stays open.
    /// </summary>
    public bool StopAnswering { get => Volatile.Read(ref _stopAnswering); set => Volatile.Write(ref _stopAnswering, value); }

    /// <summary>While true every response is written twice.</summary>
    public bool DuplicateResponses { get => Volatile.Read(ref _duplicateResponses); set => Volatile.Write(ref _duplicateResponses, value); }

    /// <summary>
    /// While true every response is preceded by an extra <c>Response: Success</c> whose ActionID
    /// (<c>stray-N</c>) matches no action.
    /// </summary>
    public bool ResponsesWithUnknownActionId { get => Volatile.Read(ref _unknownActionIds); set => Volatile.Write(ref _unknownActionIds, value); }

    /// <summary>
    /// While true, an asynchronous Originate holds back every event of its channels until its
    /// <c>OriginateResponse</c> has been sent, then sends them: the order a real Asterisk produces
    /// under concurrent load, where the response (with the channel's Uniqueid) can overtake the
    /// channel's Newchannel. Applies to Originates received while it is on.
    /// </summary>
    public bool OriginateResponseFirst { get => Volatile.Read(ref _originateResponseFirst); set => Volatile.Write(ref _originateResponseFirst, value); }
}
