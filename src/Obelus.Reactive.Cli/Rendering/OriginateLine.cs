using System.Globalization;
using System.Text;
using Obelus.Reactive.Calls;

namespace Obelus.Reactive.Cli.Rendering;

/// <summary>
/// <c>originate</c>'s default output: one line per state change of the call, e.g.
/// <c>10:04:12.031 Ended            outcome Busy, dial BUSY, cause 17 (User busy)</c>.
/// </summary>
internal static class OriginateLine
{
    /// <summary>The line for <paramref name="state"/> (local time; server text neutralised; no line end).</summary>
    public static string Format(CallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var facts = new List<string>(4);
        if (state.IsTerminal)
        {
            facts.Add($"outcome {state.Outcome?.ToString() ?? "unknown"}");
        }
        else if (state.ChannelStateDescription is { } description)
        {
            facts.Add("state " + description);
        }

        if (state.DialStatus is { } dial)
        {
            facts.Add("dial " + dial);
        }

        if (state.HangupCause is { } cause)
        {
            facts.Add(string.Create(CultureInfo.InvariantCulture, $"cause {(int)cause} ({state.HangupCauseText})"));
        }

        if (state.Failure is { } failure && state.HangupCause is null)
        {
            facts.Add("why: " + failure.Message);
        }

        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{state.Timestamp.ToLocalTime():HH:mm:ss.fff} {state.Change,-16} ");
        line.AppendJoin(", ", facts);
        return TerminalText.Clean(line.ToString().TrimEnd());
    }
}
