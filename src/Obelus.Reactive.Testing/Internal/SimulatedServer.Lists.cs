using System.Globalization;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>Actions that list channels or run CLI commands: Status, CoreShowChannels, Command.</summary>
internal sealed partial class SimulatedServer
{
    /// <summary>Channels newest first, the order the reference captures show them in.</summary>
    private IEnumerable<SimChannel> ListedChannels() => Enumerable.Reverse(_channels);

    private void CoreShowChannels(SimulatorSession session, AmiRequest request)
    {
        var id = request.ActionId;
        Respond(session, Reply("Success", id, ("EventList", "start"), ("Message", "Channels will follow")));
        var count = 0;
        foreach (var channel in ListedChannels())
        {
            var headers = new List<AmiHeader> { new("Event", "CoreShowChannel") };
            if (id is not null)
            {
                headers.Add(new("ActionID", id));
            }

            channel.AppendHeaders(headers);
            headers.Add(new("Application", channel.Application));
            headers.Add(new("ApplicationData", channel.AppData));
            headers.Add(new("Duration", Duration(Scheduler.Now - channel.CreatedAt)));
            headers.Add(new("BridgeId", string.Empty));
            SendDirect(session, AmiMessage.Create(headers));
            count++;
        }

        SendDirect(session, ListComplete("CoreShowChannelsComplete", id, count, withItems: false));
    }

    private void Status(SimulatorSession session, AmiRequest request)
    {
        var id = request.ActionId;
        var only = request["Channel"];
        IEnumerable<SimChannel> channels = ListedChannels();
        if (!string.IsNullOrEmpty(only))
        {
            if (FindChannel(only) is not { } found)
            {
                Respond(session, Reply("Error", id, ("Message", "No such channel")));
                return;
            }

            channels = [found];
        }

        var variables = (request["Variables"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Respond(session, Reply("Success", id, ("EventList", "start"), ("Message", "Channel status will follow")));
        var count = 0;
        foreach (var channel in channels)
        {
            var headers = new List<AmiHeader> { new("Event", "Status"), new("Privilege", "Call") };
            channel.AppendHeaders(headers);
            headers.Add(new("Type", channel.Type));
            headers.Add(new("DNID", string.Empty));
            headers.Add(new("EffectiveConnectedLineNum", channel.ConnectedLineNum));
            headers.Add(new("EffectiveConnectedLineName", channel.ConnectedLineName));
            headers.Add(new("TimeToHangup", "0"));
            headers.Add(new("BridgeID", string.Empty));
            headers.Add(new("Application", channel.Application));
            headers.Add(new("Data", channel.AppData));
            headers.Add(new("Nativeformats", "(slin)"));
            headers.Add(new("Readformat", "slin"));
            headers.Add(new("Readtrans", string.Empty));
            headers.Add(new("Writeformat", "slin"));
            headers.Add(new("Writetrans", string.Empty));
            headers.Add(new("Callgroup", "0"));
            headers.Add(new("Pickupgroup", "0"));
            headers.Add(new("Seconds", ((long)(Scheduler.Now - channel.CreatedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture)));
            if (IsTrue(request["AllVariables"]))
            {
                foreach (var (name, value) in channel.Variables)
                {
                    headers.Add(new("Variable", name + "=" + value));
                }
            }

            foreach (var variable in variables)
            {
                headers.Add(new("Variable", variable + "=" + (channel.Variables.TryGetValue(variable, out var value) ? value : "(null)")));
            }

            if (id is not null)
            {
                headers.Add(new("ActionID", id));
            }

            SendDirect(session, AmiMessage.Create(headers));
            count++;
        }

        SendDirect(session, ListComplete("StatusComplete", id, count, withItems: true));
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static AmiEvent ListComplete(string name, string? actionId, int count, bool withItems)
    {
        var headers = new List<(string, string)>();
        if (actionId is not null)
        {
            headers.Add(("ActionID", actionId));
        }

        var text = count.ToString(CultureInfo.InvariantCulture);
        headers.Add(("EventList", "Complete"));
        headers.Add(("ListItems", text));
        if (withItems)
        {
            headers.Add(("Items", text));
        }

        return AmiEvent.Create(name, headers);
    }

    private void Command(SimulatorSession session, AmiRequest request)
    {
        var command = (request["Command"] ?? string.Empty).Trim();
        var id = request.ActionId;
        var lines = new List<string>();
        var ok = true;
        if (command.Equals("core show uptime", StringComparison.OrdinalIgnoreCase))
        {
            var uptime = Spoken(Scheduler.Now - _startedAt);
            lines.Add("System uptime: " + uptime);
            lines.Add("Last reload: " + uptime);
        }
        else if (command.Equals("core show channels", StringComparison.OrdinalIgnoreCase))
        {
            lines.Add(ChannelLine("Channel", "Location", "State", "Application(Data)"));
            foreach (var channel in ListedChannels())
            {
                lines.Add(ChannelLine(
                    channel.Name,
                    $"{channel.Exten}@{channel.Context}:{channel.Priority.ToString(CultureInfo.InvariantCulture)}",
                    channel.StateDesc,
                    $"{channel.Application}({channel.AppData})"));
            }

            var calls = _channels.Select(c => c.Linkedid).Distinct(StringComparer.Ordinal).Count();
            lines.Add(Plural(_channels.Count, "active channel"));
            lines.Add(Plural(calls, "active call"));
            lines.Add(Plural(_callsProcessed, "call processed", "calls processed"));
        }
        else
        {
            ok = false;
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var hint = string.Join(' ', words.Take(2));
            lines.Add($"No such command '{command}' (type 'core show help {hint}' for other possible commands)");
        }

        var headers = new List<(string, string)>();
        if (id is not null)
        {
            headers.Add(("ActionID", id));
        }

        headers.Add(("Message", "Command output follows"));
        headers.AddRange(lines.Select(line => ("Output", line)));
        Respond(session, AmiResponse.Create(ok ? "Success" : "Error", headers));
    }

    private static string ChannelLine(string channel, string location, string state, string application) =>
        string.Format(CultureInfo.InvariantCulture, "{0,-64} {1,-32} {2,-7} {3,-30}", channel, location, state, application);

    private static string Plural(int count, string singular, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");

    private static string Duration(TimeSpan span) =>
        string.Format(CultureInfo.InvariantCulture, "{0:00}:{1:00}:{2:00}", (int)span.TotalHours, span.Minutes, span.Seconds);

    private static string Spoken(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add(Plural(span.Days, "day"));
        }

        if (span.Hours > 0)
        {
            parts.Add(Plural(span.Hours, "hour"));
        }

        if (span.Minutes > 0)
        {
            parts.Add(Plural(span.Minutes, "minute"));
        }

        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(Plural(span.Seconds, "second"));
        }

        return string.Join(", ", parts);
    }
}
