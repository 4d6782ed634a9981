namespace Obelus.Reactive.Calls;

/// <summary>
/// How a call turned out, carried by its terminal state. It is resolved from everything the call
/// saw (Originate result, Dial statuses, channel states, hangup causes), so it does not depend on
/// the order in which Asterisk sent those events. See docs/calls.md for the full table.
/// </summary>
public enum CallOutcome
{
    /// <summary>A channel of the call reached Up, the Originate reported answer (reason 4), or a Dial ended with ANSWER.</summary>
    Answered,

    /// <summary>Originate reason 5, Dial status BUSY, or hangup cause 17 (user busy), and never answered.</summary>
    Busy,

    /// <summary>Originate reason 3, Dial status NOANSWER, hangup cause 18/19, or an outgoing call that rang and was never answered.</summary>
    NoAnswer,

    /// <summary>Originate reason 8, Dial status CONGESTION, or hangup cause 34/42 (circuit or switch congestion).</summary>
    Congestion,

    /// <summary>Hangup cause 21 (call rejected) and none of the above.</summary>
    Rejected,

    /// <summary>Dial status CANCEL, or an incoming call that hung up before it was answered.</summary>
    Cancelled,

    /// <summary>Anything else that did not connect: Error response, Originate reason 0/1, CHANUNAVAIL, a timeout.</summary>
    Failed,

    /// <summary>
    /// The connection to the server was lost while the call was live and it could not be re-synchronised
    /// (closed for good, not reconnected within the grace, the Status action failed, the manager
    /// disposed); the call may still be running on the server.
    /// </summary>
    Lost,

    /// <summary>
    /// The connection was lost while the call was live, and when it came back the call's channels
    /// were gone: the call ended while nobody was listening, so how it ended is unknown.
    /// </summary>
    LostDuringDisconnect,
}
