using System.Globalization;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>Channel events with the headers, in the order, a real Asterisk 22 sends them.</summary>
internal sealed partial class SimulatedServer
{
    private void ChannelEvent(string name, string privilege, SimChannel channel, params (string Name, string Value)[] extra)
    {
        var headers = new List<AmiHeader>(20);
        channel.AppendHeaders(headers);
        foreach (var (n, v) in extra)
        {
            headers.Add(new AmiHeader(n, v));
        }

        Emit(name, privilege, headers, channel.Call);
    }

    private void AddChannel(SimChannel channel, SimCall call)
    {
        channel.Call = call;
        call.Channels.Add(channel);
        _channels.Add(channel);
        ChannelEvent("Newchannel", "call,all", channel);
    }

    private void EmitNewexten(SimChannel channel, int priority, string application, string data)
    {
        channel.Priority = priority;
        channel.Application = application;
        channel.AppData = data;
        ChannelEvent("Newexten", "dialplan,all", channel, ("Extension", channel.Exten), ("Application", application), ("AppData", data));
    }

    private void EmitVarSet(SimChannel channel, string variable, string value)
    {
        channel.Variables[variable] = value;
        ChannelEvent("VarSet", "dialplan,all", channel, ("Variable", variable), ("Value", value));
    }

    private void EmitNewstate(SimChannel channel, int state)
    {
        channel.State = state;
        ChannelEvent("Newstate", "call,all", channel);
    }

    private void EmitCallerId(SimChannel channel, string num, string name, bool connectedToo)
    {
        channel.CallerIdNum = num;
        channel.CallerIdName = name;
        if (connectedToo)
        {
            channel.ConnectedLineNum = num;
            channel.ConnectedLineName = name;
        }

        ChannelEvent("NewCallerid", "call,all", channel, ("CID-CallingPres", "0 (Presentation Allowed, Not Screened)"));
        if (!connectedToo)
        {
            channel.ConnectedLineNum = num;
            channel.ConnectedLineName = name;
        }

        ChannelEvent("NewConnectedLine", "call,all", channel);
    }

    private void EmitLocalBridge(SimChannel one, SimChannel two, string context, string exten)
    {
        var headers = new List<AmiHeader>(32);
        one.AppendHeaders(headers, "LocalOne");
        two.AppendHeaders(headers, "LocalTwo");
        headers.Add(new("Context", context));
        headers.Add(new("Exten", exten));
        headers.Add(new("LocalOptimization", "Yes"));
        Emit("LocalBridge", "call,all", headers, one.Call);
    }

    /// <summary>DialBegin/DialEnd; an Originate's own dial has no caller channel, only Dest headers.</summary>
    private void EmitDial(string name, SimChannel? caller, SimChannel destination, string lastName, string lastValue)
    {
        var headers = new List<AmiHeader>(32);
        caller?.AppendHeaders(headers);
        destination.AppendHeaders(headers, "Dest");
        headers.Add(new(lastName, lastValue));
        Emit(name, "call,all", headers, destination.Call);
    }

    private void EmitDeviceState(string device, string state) =>
        Emit("DeviceStateChange", "call,all", [new("Device", device), new("State", state)]);

    private void EmitBridge(string name, string bridgeId, int count, SimChannel? channel)
    {
        var headers = new List<AmiHeader>
        {
            new("BridgeUniqueid", bridgeId),
            new("BridgeType", "basic"),
            new("BridgeTechnology", "simple_bridge"),
            new("BridgeCreator", "<unknown>"),
            new("BridgeName", "<unknown>"),
            new("BridgeNumChannels", count.ToString(CultureInfo.InvariantCulture)),
            new("BridgeVideoSourceMode", "none"),
        };
        channel?.AppendHeaders(headers);
        Emit(name, "call,all", headers);
    }

    private void EmitHangupRequest(SimChannel channel, int cause, bool soft) =>
        ChannelEvent(soft ? "SoftHangupRequest" : "HangupRequest", "call,all", channel, ("Cause", cause.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The final Hangup of a channel; the call ends with its last channel.</summary>
    private void EmitHangup(SimChannel channel, int cause)
    {
        if (channel.HungUp)
        {
            return;
        }

        channel.HungUp = true;
        _channels.Remove(channel);
        ChannelEvent("Hangup", "call,all", channel, ("Cause", cause.ToString(CultureInfo.InvariantCulture)), ("Cause-txt", CauseText(cause)));
        if (channel.Call is { } call && call.Channels.TrueForAll(c => c.HungUp))
        {
            call.Ended = true;
            call.Pending.Dispose();
        }
    }

    private static string CauseText(int cause) => cause switch
    {
        0 => "Unknown",
        1 => "Unallocated (unassigned) number",
        16 => "Normal Clearing",
        17 => "User busy",
        18 => "No user responding",
        19 => "User alerting, no answer",
        21 => "Call Rejected",
        34 => "Circuit/channel congestion",
        _ => "Unknown",
    };
}
