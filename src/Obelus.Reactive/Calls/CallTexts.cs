using System.Globalization;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>The texts Asterisk uses for channel states, hangup causes and Originate reasons.</summary>
public static class CallTexts
{
    private static readonly Dictionary<int, string> CauseTexts = new()
    {
        [0] = "Unknown",
        [1] = "Unallocated (unassigned) number",
        [2] = "No route to specified transmit network",
        [3] = "No route to destination",
        [6] = "Channel unacceptable",
        [7] = "Call awarded and being delivered in an established channel",
        [16] = "Normal Clearing",
        [17] = "User busy",
        [18] = "No user responding",
        [19] = "User alerting, no answer",
        [20] = "Subscriber absent",
        [21] = "Call Rejected",
        [22] = "Number changed",
        [26] = "Answered elsewhere",
        [27] = "Destination out of order",
        [28] = "Invalid number format",
        [29] = "Facility rejected",
        [31] = "Normal, unspecified",
        [34] = "Circuit/channel congestion",
        [38] = "Network out of order",
        [41] = "Temporary failure",
        [42] = "Switching equipment congestion",
        [44] = "Requested channel not available",
        [50] = "Facility not subscribed",
        [52] = "Outgoing call barred",
        [54] = "Incoming call barred",
        [58] = "Bearer capability not available",
        [66] = "Channel type not implemented",
        [88] = "Incompatible destination",
        [102] = "Recover on timer expiry",
        [111] = "Protocol error, unspecified",
        [127] = "Interworking, unspecified",
    };

    // Dial's documented results: a call's DialStatus is one of these nearly always, and the fold
    // keeps it in the call's record for as long as the call lives.
    private static readonly string[] DialStatusTexts =
        ["ANSWER", "BUSY", "NOANSWER", "CANCEL", "CONGESTION", "CHANUNAVAIL", "DONTCALL", "TORTURE", "INVALIDARGS"];

    private static readonly string[] StateTexts =
        ["Down", "Rsrvd", "OffHook", "Dialing", "Ring", "Ringing", "Up", "Busy", "Dialing Offhook", "Pre-ring"];

    /// <summary>Asterisk's text for a hangup cause (<c>Cause-txt</c>), "Unknown" for numbers it does not name.</summary>
    public static string Describe(HangupCause cause) =>
        CauseTexts.TryGetValue((int)cause, out var text) ? text : "Unknown";

    /// <summary>Asterisk's text for a channel state (<c>ChannelStateDesc</c>), "Unknown (n)" for other numbers.</summary>
    public static string Describe(ChannelState state) =>
        (uint)state < (uint)StateTexts.Length ? StateTexts[(int)state] : "Unknown (" + ((int)state).ToString(CultureInfo.InvariantCulture) + ")";

    /// <summary>
    /// What an <c>OriginateResponse</c> <c>Reason</c> number means (Asterisk passes the last
    /// control frame of the outgoing channel): 0 failure, 1 hung up, 3 ringing timeout (no
    /// answer), 4 answered, 5 busy, 8 congestion.
    /// </summary>
    public static string DescribeOriginateReason(int reason) => reason switch
    {
        0 => "Failed (no channel, or no reason given)",
        1 => "Hung up before answer",
        2 => "Ring",
        3 => "Rang without answer until the Originate timeout",
        4 => "Answered",
        5 => "Busy",
        8 => "Congestion",
        _ => "Unknown reason " + reason.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The <c>DialStatus</c> header of <paramref name="e"/>, or null: one of Dial's documented
    /// results is the shared string, so no new one is made (and kept by a record that is old
    /// already); any other value as the header decodes.
    /// </summary>
    internal static string? DialStatusOf(AmiMessage e)
    {
        if (!e.TryGetValueBytes("DialStatus", out var bytes))
        {
            return null;
        }

        foreach (var text in DialStatusTexts)
        {
            if (System.Text.Ascii.Equals(bytes, text))
            {
                return text;
            }
        }

        return e["DialStatus"];
    }

    /// <summary>Maps a legacy state name (<c>State: Ringing</c>) to its number, or null.</summary>
    internal static ChannelState? ParseStateName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        for (var i = 0; i < StateTexts.Length; i++)
        {
            if (StateTexts[i].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return (ChannelState)i;
            }
        }

        return null;
    }
}
