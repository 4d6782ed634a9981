namespace Obelus.Reactive.Calls;

/// <summary>
/// Q.850 hangup cause as Asterisk reports it (<c>Cause</c> header). Numbers outside the named
/// values are kept as they are (cast the number); <see cref="CallTexts.Describe(HangupCause)"/> gives the text.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1008:Enums should have zero value", Justification = "Zero is Asterisk's 'not defined'.")]
public enum HangupCause
{
    /// <summary>0: no cause given (Asterisk prints "Unknown").</summary>
    NotDefined = 0,

    /// <summary>1: unallocated (unassigned) number.</summary>
    UnallocatedNumber = 1,

    /// <summary>2: no route to the specified transit network.</summary>
    NoRouteTransitNetwork = 2,

    /// <summary>3: no route to destination.</summary>
    NoRouteDestination = 3,

    /// <summary>6: channel unacceptable.</summary>
    ChannelUnacceptable = 6,

    /// <summary>7: call awarded and being delivered in an established channel.</summary>
    CallAwardedDelivered = 7,

    /// <summary>16: normal call clearing.</summary>
    NormalClearing = 16,

    /// <summary>17: user busy.</summary>
    UserBusy = 17,

    /// <summary>18: no user responding.</summary>
    NoUserResponse = 18,

    /// <summary>19: user alerted, no answer.</summary>
    NoAnswer = 19,

    /// <summary>20: subscriber absent.</summary>
    SubscriberAbsent = 20,

    /// <summary>21: call rejected.</summary>
    CallRejected = 21,

    /// <summary>22: number changed.</summary>
    NumberChanged = 22,

    /// <summary>26: answered elsewhere (non-selected user clearing).</summary>
    AnsweredElsewhere = 26,

    /// <summary>27: destination out of order.</summary>
    DestinationOutOfOrder = 27,

    /// <summary>28: invalid number format.</summary>
    InvalidNumberFormat = 28,

    /// <summary>29: facility rejected.</summary>
    FacilityRejected = 29,

    /// <summary>31: normal, unspecified.</summary>
    NormalUnspecified = 31,

    /// <summary>34: no circuit/channel available (congestion).</summary>
    NormalCircuitCongestion = 34,

    /// <summary>38: network out of order.</summary>
    NetworkOutOfOrder = 38,

    /// <summary>41: temporary failure.</summary>
    NormalTemporaryFailure = 41,

    /// <summary>42: switching equipment congestion.</summary>
    SwitchCongestion = 42,

    /// <summary>44: requested channel not available.</summary>
    RequestedChannelUnavailable = 44,

    /// <summary>50: facility not subscribed.</summary>
    FacilityNotSubscribed = 50,

    /// <summary>52: outgoing call barred.</summary>
    OutgoingCallBarred = 52,

    /// <summary>54: incoming call barred.</summary>
    IncomingCallBarred = 54,

    /// <summary>58: bearer capability not available.</summary>
    BearerCapabilityNotAvailable = 58,

    /// <summary>66: channel type not implemented.</summary>
    ChannelNotImplemented = 66,

    /// <summary>88: incompatible destination.</summary>
    IncompatibleDestination = 88,

    /// <summary>102: recovery on timer expiry.</summary>
    RecoveryOnTimerExpire = 102,

    /// <summary>111: protocol error, unspecified.</summary>
    ProtocolError = 111,

    /// <summary>127: interworking, unspecified.</summary>
    Interworking = 127,
}
