using System.Text.Json;
using Obelus.Reactive.Calls;

namespace Obelus.Reactive.Cli.Rendering;

/// <summary>
/// One JSON object per call state change, one per line: the format of <c>replay</c> and of
/// <c>originate --json</c>. Absent facts are written as null so every line has the same keys.
/// </summary>
internal static class CallStateJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    /// <summary>Formats <paramref name="state"/> as a single line of JSON (no line end).</summary>
    public static string Format(CallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("call", state.CallId);
            json.WriteString("direction", state.Direction == CallDirection.Incoming ? "incoming" : "outgoing");
            json.WriteString("change", state.Change.ToString());
            WriteNumber(json, "state", state.ChannelState is { } channelState ? (int)channelState : null);
            json.WriteString("stateDesc", state.ChannelStateDescription);
            json.WriteString("dialStatus", state.DialStatus);
            WriteNumber(json, "cause", state.HangupCause is { } cause ? (int)cause : null);
            json.WriteString("causeText", state.HangupCauseText);
            WriteNumber(json, "reason", state.Failure?.OriginateReason);
            json.WriteString("failure", state.Failure?.Message);
            json.WriteStartArray("uniqueIds");
            foreach (var id in state.UniqueIds)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
            json.WriteString("actionId", state.ActionId);
            if (state.IsTerminal)
            {
                json.WriteString("outcome", state.Outcome?.ToString());
            }

            json.WriteString("time", state.Timestamp);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
