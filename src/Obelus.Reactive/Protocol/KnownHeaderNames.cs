using System.Text;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// Interned names of the headers Asterisk sends on nearly every event, so decoding a name
/// allocates nothing in the common case.
/// </summary>
internal static class KnownHeaderNames
{
    private static readonly string[] Names =
    [
        "Event", "Response", "Action", "ActionID", "Message", "Privilege", "Channel", "ChannelState",
        "ChannelStateDesc", "CallerIDNum", "CallerIDName", "ConnectedLineNum", "ConnectedLineName",
        "Language", "AccountCode", "Context", "Exten", "Priority", "Uniqueid", "Linkedid", "Extension",
        "Application", "AppData", "Variable", "Value", "Cause", "Cause-txt", "DestChannel", "DestUniqueid",
        "DestLinkedid", "DialStatus", "DialString", "Reason", "EventList", "ListItems", "Output",
        "LocalOneUniqueid", "LocalTwoUniqueid", "LocalOneChannel", "LocalTwoChannel", "Device", "State",
        "SubEvent", "UniqueID", "Uniqueid1", "Uniqueid2", "Timestamp", "Ping",
    ];

    public static string Decode(ReadOnlySpan<byte> name)
    {
        foreach (var known in Names)
        {
            if (known.Length == name.Length && Matches(known, name))
            {
                return known;
            }
        }

        return Encoding.UTF8.GetString(name);
    }

    private static bool Matches(string known, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (known[i] != name[i])
            {
                return false;
            }
        }

        return true;
    }
}
