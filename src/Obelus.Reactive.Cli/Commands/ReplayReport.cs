using System.Globalization;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// What <c>replay</c> says on stderr after its JSON lines: what it read from each file, what it
/// found, and a hint when that looks wrong (nothing read, files swapped, no way to recognise our calls).
/// </summary>
internal static class ReplayReport
{
    public static IReadOnlyList<string> Describe(
        string receivedName,
        IReadOnlyList<AmiMessage> received,
        string? sentName,
        IReadOnlyList<AmiMessage> sent,
        string? trackingVariable,
        IReadOnlyList<CallState> states)
    {
        var lines = new List<string>();
        var events = received.Count(m => m is AmiEvent);
        var actionsInReceived = received.Count(m => m is AmiRequest);
        var originates = sent.OfType<AmiRequest>().Count(a => a.Name.Equals("Originate", StringComparison.OrdinalIgnoreCase));
        var outgoing = states.Where(s => s.Direction == CallDirection.Outgoing).Select(s => s.CallId).Distinct(StringComparer.Ordinal).Count();
        var incoming = states.Where(s => s.Direction == CallDirection.Incoming).Select(s => s.CallId).Distinct(StringComparer.Ordinal).Count();

        var read = Text($"read {received.Count} message(s) ({events} event(s)) from {receivedName}");
        read += sentName is null ? ", no --sent file" : Text($"; {sent.Count} message(s) ({originates} Originate) from {sentName}");
        lines.Add(read);
        lines.Add(Text($"found {outgoing} outgoing and {incoming} incoming call(s), {states.Count} state change(s)."));

        if (received.Count == 0)
        {
            lines.Add(Text($"hint: {receivedName} holds no AMI message; --received takes the bytes received from Asterisk (NAME.in.ami)."));
        }
        else if (actionsInReceived > received.Count / 2 || sent.Any(m => m is AmiEvent))
        {
            lines.Add("hint: --received holds actions or --sent holds events: the two files look swapped.");
        }

        if (outgoing == 0 && received.Count > 0)
        {
            if (sentName is null && trackingVariable is null)
            {
                lines.Add("hint: no outgoing call recognised: give --sent (the bytes the client sent) or --tracking-variable (the variable its Originates set).");
            }
            else if (sentName is not null && originates == 0)
            {
                lines.Add(Text($"hint: no outgoing call recognised: {sentName} holds no Originate action."));
            }
            else
            {
                lines.Add("hint: no outgoing call recognised: no event carries the tracking variable of the Originates; try --tracking-variable.");
            }
        }

        return lines;
    }

    private static string Text(FormattableString text) => Rendering.TerminalText.Clean(text.ToString(CultureInfo.InvariantCulture));
}
