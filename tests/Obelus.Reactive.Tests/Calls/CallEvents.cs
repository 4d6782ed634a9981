using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>Builds the channel events the call fold reads, in either dialect.</summary>
internal static class CallEvents
{
    public static AmiEvent Newchannel(string uniqueId, string channel, string? linkedid = null, int state = 0) =>
        AmiEvent.Create("Newchannel", WithLinkedid(
            [("Privilege", "call,all"), ("Channel", channel), ("ChannelState", state.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("CallerIDNum", "555"), ("CallerIDName", "Caller"), ("Uniqueid", uniqueId)],
            linkedid));

    public static AmiEvent VarSet(string uniqueId, string variable, string value, string? linkedid = null) =>
        AmiEvent.Create("VarSet", WithLinkedid([("Privilege", "dialplan,all"), ("Channel", "Local/100@default-00000001;1"), ("Uniqueid", uniqueId)], linkedid)
            .Concat([("Variable", variable), ("Value", value)]));

    public static AmiEvent Newstate(string uniqueId, int state, string? linkedid = null, string channel = "SIP/100-00000001") =>
        AmiEvent.Create("Newstate", WithLinkedid(
            [("Privilege", "call,all"), ("Channel", channel), ("ChannelState", state.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("ChannelStateDesc", "x"), ("Uniqueid", uniqueId)],
            linkedid));

    public static AmiEvent LocalBridge(AmiDialect dialect, string one, string two) => dialect == AmiDialect.Modern
        ? AmiEvent.Create("LocalBridge", ("Privilege", "call,all"), ("LocalOneChannel", "Local/100@default-00000001;1"), ("LocalOneUniqueid", one), ("LocalTwoChannel", "Local/100@default-00000001;2"), ("LocalTwoUniqueid", two))
        : AmiEvent.Create("LocalBridge", ("Privilege", "call,all"), ("Channel1", "Local/100@default-00000001;1"), ("Channel2", "Local/100@default-00000001;2"), ("Uniqueid1", one), ("Uniqueid2", two), ("CallerID1", "555"));

    public static AmiEvent DialBegin(AmiDialect dialect, string callerId, string destId) => dialect == AmiDialect.Modern
        ? AmiEvent.Create("DialBegin", ("Privilege", "call,all"), ("Channel", "Local/100@default-00000001;2"), ("Uniqueid", callerId), ("DestChannel", "SIP/200-00000002"), ("DestUniqueid", destId), ("DialString", "200"))
        : AmiEvent.Create("Dial", ("Privilege", "call,all"), ("SubEvent", "Begin"), ("Channel", "Local/100@default-00000001;2"), ("Destination", "SIP/200-00000002"), ("UniqueID", callerId), ("DestUniqueID", destId), ("Dialstring", "200"));

    public static AmiEvent DialEnd(AmiDialect dialect, string callerId, string destId, string status) => dialect == AmiDialect.Modern
        ? AmiEvent.Create("DialEnd", ("Privilege", "call,all"), ("Channel", "Local/100@default-00000001;2"), ("Uniqueid", callerId), ("DestChannel", "SIP/200-00000002"), ("DestUniqueid", destId), ("DialStatus", status))
        : AmiEvent.Create("Dial", ("Privilege", "call,all"), ("SubEvent", "End"), ("Channel", "Local/100@default-00000001;2"), ("UniqueID", callerId), ("DialStatus", status));

    public static AmiEvent SoftHangupRequest(string uniqueId, int cause) =>
        AmiEvent.Create("SoftHangupRequest", ("Privilege", "call,all"), ("Channel", "x"), ("Uniqueid", uniqueId), ("Cause", cause.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static AmiEvent Hangup(string uniqueId, int cause, string? linkedid = null) =>
        AmiEvent.Create("Hangup", WithLinkedid([("Privilege", "call,all"), ("Channel", "x"), ("Uniqueid", uniqueId)], linkedid)
            .Concat([("Cause", cause.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Cause-txt", "whatever")]));

    public static AmiEvent OriginateResponse(string actionId, bool success, int reason, string uniqueId = "<unknown>") =>
        AmiEvent.Create("OriginateResponse", ("Privilege", "call,all"), ("ActionID", actionId), ("Response", success ? "Success" : "Failure"), ("Channel", "Local/100@default"), ("Reason", reason.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Uniqueid", uniqueId));

    /// <summary>One item of a <c>Status</c> list, shaped as in status_resync_b; <paramref name="trackingValue"/> null gives <c>NAME=(null)</c>.</summary>
    public static AmiEvent Status(string uniqueId, string channel, int state, string variable, string? trackingValue, string? linkedid = null) =>
        AmiEvent.Create(
            "Status",
            ("Privilege", "Call"),
            ("Channel", channel),
            ("ChannelState", state.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("ChannelStateDesc", "x"),
            ("CallerIDNum", "555"),
            ("CallerIDName", "Caller"),
            ("Uniqueid", uniqueId),
            ("Linkedid", linkedid ?? uniqueId),
            ("Type", channel.Split('/')[0]),
            ("Seconds", "0"),
            ("Variable", variable + "=" + (trackingValue ?? "(null)")),
            ("ActionID", "resync"));

    public static AmiResponse Queued(string actionId) =>
        AmiResponse.Create("Success", ("ActionID", actionId), ("Message", "Originate successfully queued"));

    public static AmiResponse Error(string actionId, string message = "Originate failed") =>
        AmiResponse.Create("Error", ("ActionID", actionId), ("Message", message));

    private static IEnumerable<(string, string)> WithLinkedid(IEnumerable<(string, string)> headers, string? linkedid) =>
        linkedid is null ? headers : headers.Append(("Linkedid", linkedid));
}
