namespace Obelus.Reactive.Calls;

/// <summary>
/// Asterisk's numeric channel state (<c>ChannelState</c> header). Numbers outside the named
/// values are kept as they are (cast the number).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1008:Enums should have zero value", Justification = "Zero is Asterisk's Down.")]
public enum ChannelState
{
    /// <summary>0: channel is down and available.</summary>
    Down = 0,

    /// <summary>1: channel is down, but reserved.</summary>
    Rsrvd = 1,

    /// <summary>2: channel is off hook.</summary>
    OffHook = 2,

    /// <summary>3: digits (or equivalent) have been dialed.</summary>
    Dialing = 3,

    /// <summary>4: line is ringing (the caller side of an incoming call).</summary>
    Ring = 4,

    /// <summary>5: remote end is ringing.</summary>
    Ringing = 5,

    /// <summary>6: line is up (answered).</summary>
    Up = 6,

    /// <summary>7: line is busy.</summary>
    Busy = 7,

    /// <summary>8: digits have been dialed while off hook.</summary>
    DialingOffhook = 8,

    /// <summary>9: channel has detected an incoming call and is waiting for ring.</summary>
    PreRing = 9,
}
