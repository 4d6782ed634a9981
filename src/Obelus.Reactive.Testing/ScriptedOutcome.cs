namespace Obelus.Reactive.Testing;

/// <summary>What a simulated extension does with a call that reaches it.</summary>
public enum ScriptedOutcome
{
    /// <summary><c>Answer()</c>, <c>Wait(talk time)</c>, <c>Hangup()</c> (trace originate_answered).</summary>
    Answer,

    /// <summary><c>Busy()</c>: DialStatus BUSY, OriginateResponse reason 5, cause 17 (trace originate_busy).</summary>
    Busy,

    /// <summary>Rings until the Originate's <c>Timeout</c>: DialStatus NOANSWER, OriginateResponse reason 3.</summary>
    NoAnswer,

    /// <summary><c>Congestion()</c>: DialStatus CONGESTION, OriginateResponse reason 8, cause 34.</summary>
    Congestion,

    /// <summary><c>Dial(Local/&lt;target&gt;)</c>: a second Local pair joins the call's Linkedid and is bridged.</summary>
    DialLocal,
}
