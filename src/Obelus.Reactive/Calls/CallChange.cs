namespace Obelus.Reactive.Calls;

/// <summary>What a <see cref="CallState"/> reports as new, compared with the previous one.</summary>
public enum CallChange
{
    /// <summary>The server accepted our Originate (sent after the action's Success response, never before).</summary>
    Queued,

    /// <summary>
    /// Terminal: the call never got going (Error response, <c>OriginateResponse</c> failure before
    /// any channel was bound, a timeout, or the connection lost before it was accepted).
    /// </summary>
    Failed,

    /// <summary>One of the call's channels reported a new numeric channel state.</summary>
    StateChanged,

    /// <summary>A Dial began on one of the call's channels (as caller or as dialed channel).</summary>
    DialingStarted,

    /// <summary>A Dial ended on one of the call's channels; see <see cref="CallState.DialStatus"/>.</summary>
    DialingFinished,

    /// <summary>Terminal: the last channel of the call hung up (or the connection was lost).</summary>
    Ended,
}
