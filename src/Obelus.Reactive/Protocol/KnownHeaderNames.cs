using System.Text;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// Interned names (and frequent values) of the headers Asterisk sends on nearly every event, so
/// decoding them allocates nothing in the common case.
/// </summary>
internal static class KnownHeaderNames
{
    /// <summary>How every header value is decoded (invalid bytes as U+FFFD); what finds a value from its bytes must decode the same way.</summary>
    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private static readonly Utf8InternTable Names = new(
    [
        "Event", "Response", "Action", "ActionID", "Message", "Privilege", "Channel", "ChannelState",
        "ChannelStateDesc", "CallerIDNum", "CallerIDName", "ConnectedLineNum", "ConnectedLineName",
        "Language", "AccountCode", "Context", "Exten", "Priority", "Uniqueid", "Linkedid", "Extension",
        "Application", "AppData", "Variable", "Value", "Cause", "Cause-txt", "DestChannel", "DestUniqueid",
        "DestLinkedid", "DialStatus", "DialString", "Reason", "EventList", "ListItems", "Output",
        "LocalOneUniqueid", "LocalTwoUniqueid", "LocalOneChannel", "LocalTwoChannel", "Device", "State",
        "SubEvent", "UniqueID", "Uniqueid1", "Uniqueid2", "Timestamp", "Ping", "DestChannelState",
        "DestChannelStateDesc", "DestCallerIDNum", "DestCallerIDName", "DestConnectedLineNum",
        "DestConnectedLineName", "DestLanguage", "DestAccountCode", "DestContext", "DestExten",
        "DestPriority", "Forward", "Status", "Source", "BridgeUniqueid", "BridgeType",
        "BridgeTechnology", "BridgeCreator", "BridgeName", "BridgeNumChannels", "BridgeVideoSourceMode",
    ]);

    // Event names and the small vocabulary of state, status and privilege values.
    private static readonly Utf8InternTable Values = new(
    [
        "Newchannel", "Newstate", "Newexten", "Hangup", "HangupRequest", "SoftHangupRequest", "VarSet",
        "NewCallerid", "NewConnectedLine", "DialBegin", "DialEnd", "DialState", "Dial", "LocalBridge",
        "OriginateResponse", "DeviceStateChange", "BridgeCreate", "BridgeEnter", "BridgeLeave",
        "BridgeDestroy", "Status", "StatusComplete", "CoreShowChannel", "CoreShowChannelsComplete",
        "FullyBooted", "SuccessfulAuth", "RequestBadFormat", "Begin", "End",
        "Success", "Error", "Failure", "Follows", "Goodbye", "start", "Complete",
        "call,all", "dialplan,all", "system,all", "security,all", "reporting,all", "agent,all", "user,all",
        "Down", "Rsrvd", "OffHook", "Dialing", "Ring", "Ringing", "Up", "Busy", "Dialing Offhook", "Pre-ring", "Unknown",
        "ANSWER", "BUSY", "NOANSWER", "CANCEL", "CONGESTION", "CHANUNAVAIL", "DONTCALL", "TORTURE", "INVALIDARGS",
        "RINGING", "PROCEEDING", "PROGRESS",
        "Normal Clearing", "User busy", "No user responding", "No answer", "Call Rejected",
        "en", "default", "from-internal", "s",
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "16", "17", "18", "19", "21", "34", "38",
    ]);

    /// <summary>Decodes a header name, interned when it is a known one.</summary>
    public static string Decode(ReadOnlySpan<byte> name) => Names.Find(name) ?? Utf8.GetString(name);

    /// <summary>Decodes a header value, interned when it is a frequent one.</summary>
    public static string DecodeValue(ReadOnlySpan<byte> value) =>
        value.IsEmpty ? string.Empty : Values.Find(value) ?? Utf8.GetString(value);
}
