using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>One channel of the simulated server, with the fields Asterisk puts in channel events.</summary>
internal sealed class SimChannel
{
    public SimChannel(string name, string uniqueid, string linkedid, string type, DateTimeOffset createdAt)
    {
        Name = name;
        Uniqueid = uniqueid;
        Linkedid = linkedid;
        Type = type;
        CreatedAt = createdAt;
    }

    public string Name { get; }

    public string Uniqueid { get; }

    public string Linkedid { get; }

    /// <summary>Channel technology as Status shows it (<c>Local</c>, <c>IAX2</c>).</summary>
    public string Type { get; }

    public DateTimeOffset CreatedAt { get; }

    public int State { get; set; }

    public string CallerIdNum { get; set; } = "<unknown>";

    public string CallerIdName { get; set; } = "<unknown>";

    public string ConnectedLineNum { get; set; } = "<unknown>";

    public string ConnectedLineName { get; set; } = "<unknown>";

    public string Context { get; set; } = "default";

    public string Exten { get; set; } = "s";

    public int Priority { get; set; } = 1;

    public string Application { get; set; } = string.Empty;

    public string AppData { get; set; } = string.Empty;

    /// <summary>The device name DeviceStateChange uses (<c>Local/100@default</c>).</summary>
    public string Device { get; init; } = string.Empty;

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>The call this channel belongs to (for hangups).</summary>
    public SimCall? Call { get; set; }

    public bool HungUp { get; set; }

    public string StateDesc => Describe(State);

    public static string Describe(int state) => state switch
    {
        0 => "Down",
        1 => "Rsrvd",
        2 => "OffHook",
        3 => "Dialing",
        4 => "Ring",
        5 => "Ringing",
        6 => "Up",
        7 => "Busy",
        8 => "Dialing Offhook",
        9 => "Pre-ring",
        _ => "Unknown",
    };

    /// <summary>Appends the fifteen standard channel headers, each name prefixed (<c>Dest</c>, <c>LocalOne</c>...).</summary>
    public void AppendHeaders(List<AmiHeader> headers, string prefix = "")
    {
        headers.Add(new(prefix + "Channel", Name));
        headers.Add(new(prefix + "ChannelState", State.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        headers.Add(new(prefix + "ChannelStateDesc", StateDesc));
        headers.Add(new(prefix + "CallerIDNum", CallerIdNum));
        headers.Add(new(prefix + "CallerIDName", CallerIdName));
        headers.Add(new(prefix + "ConnectedLineNum", ConnectedLineNum));
        headers.Add(new(prefix + "ConnectedLineName", ConnectedLineName));
        headers.Add(new(prefix + "Language", "en"));
        headers.Add(new(prefix + "AccountCode", string.Empty));
        headers.Add(new(prefix + "Context", Context));
        headers.Add(new(prefix + "Exten", Exten));
        headers.Add(new(prefix + "Priority", Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        headers.Add(new(prefix + "Uniqueid", Uniqueid));
        headers.Add(new(prefix + "Linkedid", Linkedid));
    }
}
