using System.Text;
using System.Text.RegularExpressions;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// A realistic AMI event stream built from the modern call events of real captures, repeated
/// with fresh unique ids and channel names so no two calls share an id.
/// </summary>
public static partial class CallEventCorpus
{
    private static readonly string[] SourceCaptures = ["originate_answered", "originate_busy", "incoming_iax2"];

    // Session-level events say nothing about calls; a busy PBX stream is all channel traffic.
    private static readonly HashSet<string> SkippedEvents = new(StringComparer.OrdinalIgnoreCase) { "FullyBooted", "SuccessfulAuth" };

    /// <summary>The call events of the captures, one string per event, terminator included.</summary>
    public static IReadOnlyList<string> Templates { get; } = LoadTemplates();

    /// <summary>Builds about <paramref name="eventCount"/> events (whole calls) as wire bytes.</summary>
    public static byte[] Build(int eventCount, out int actualEvents)
    {
        var text = new StringBuilder(eventCount * 480);
        actualEvents = 0;
        for (var call = 0; actualEvents < eventCount; call++)
        {
            foreach (var template in Templates)
            {
                text.Append(Rewrite(template, call));
                actualEvents++;
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Rewrite(string template, int call)
    {
        var ids = UniqueIdPattern().Replace(template, m => $"17{call:D8}.{m.Groups[2].Value}");
        return ChannelSuffixPattern().Replace(ids, m => "-" + call.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static List<string> LoadTemplates()
    {
        var templates = new List<string>();
        foreach (var capture in SourceCaptures)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Traces", capture + ".in.ami");
            var messages = File.ReadAllText(path, Encoding.UTF8).Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
            foreach (var message in messages)
            {
                var start = message.IndexOf("Event: ", StringComparison.Ordinal);
                if (start < 0)
                {
                    continue;
                }

                var body = message[start..];
                var eventName = body[7..body.IndexOf('\r', StringComparison.Ordinal)];
                if (!SkippedEvents.Contains(eventName))
                {
                    templates.Add(body + "\r\n\r\n");
                }
            }
        }

        return templates;
    }

    [GeneratedRegex(@"\b(\d{10})\.(\d+)\b")]
    private static partial Regex UniqueIdPattern();

    [GeneratedRegex(@"-[0-9a-f]{8}(?=;|,|\r|$)")]
    private static partial Regex ChannelSuffixPattern();
}
