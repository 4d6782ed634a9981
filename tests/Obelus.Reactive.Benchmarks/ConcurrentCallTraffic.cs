using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// An endless stream of concurrent calls: the events of a real Asterisk 22 recording of 300
/// calls placed at once, every outcome mixed (<c>Traces/concurrent_mixed</c>), repeated block
/// after block with the block number written into every unique id, channel name and tracking
/// value, so that no two calls share an id. Each block is the same bytes with a few digits
/// patched in place: streaming a million events allocates nothing.
/// </summary>
public sealed partial class ConcurrentCallTraffic
{
    private static readonly HashSet<string> SkippedEvents = new(StringComparer.OrdinalIgnoreCase) { "FullyBooted", "SuccessfulAuth" };
    private readonly byte[] _template;
    private readonly (int Offset, int Digits)[] _patches;

    private ConcurrentCallTraffic(byte[] template, (int, int)[] patches, int events, int calls)
    {
        _template = template;
        _patches = patches;
        EventsPerBlock = events;
        CallsPerBlock = calls;
    }

    /// <summary>Events in one block.</summary>
    public int EventsPerBlock { get; }

    /// <summary>Calls (tracking values) in one block; each ends within its block.</summary>
    public int CallsPerBlock { get; }

    /// <summary>Bytes of one block.</summary>
    public int BlockBytes => _template.Length;

    /// <summary>The tracking variable of the recording.</summary>
    public const string TrackingVariable = "X_TRACK";

    public static ConcurrentCallTraffic Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Traces", "concurrent_mixed.in.ami.gz");
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var text = new StringBuilder();
        var events = 0;
        foreach (var message in reader.ReadToEnd().Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            // Responses (the Originates' answers) belong to the session that sent them.
            if (!message.StartsWith("Event: ", StringComparison.Ordinal))
            {
                continue;
            }

            var name = message[7..message.IndexOf('\r', StringComparison.Ordinal)];
            if (!SkippedEvents.Contains(name))
            {
                text.Append(message).Append("\r\n\r\n");
                events++;
            }
        }

        // Tracking values get a fixed-width slot for the block number; ids and channel names
        // already have leading digits to spare.
        var recorded = text.ToString();
        var body = TrackingValue().Replace(recorded, m => m.Groups[1].Value + "000000-" + m.Groups[2].Value);
        var calls = TrackingValue().Matches(recorded).Select(m => m.Groups[2].Value).Distinct().Count();
        var patches = new List<(int, int)>();
        foreach (Match m in UniqueId().Matches(body))
        {
            patches.Add((m.Index + 4, 6));
        }

        foreach (Match m in ChannelSuffix().Matches(body))
        {
            patches.Add((m.Index + 1, 4));
        }

        foreach (Match m in PatchedTrackingValue().Matches(body))
        {
            patches.Add((m.Groups[1].Index, 6));
        }

        return new ConcurrentCallTraffic(Encoding.ASCII.GetBytes(body), [.. patches], events, calls);
    }

    /// <summary>
    /// The events of one block grouped by call, in their order: an event joins the call of its
    /// Linkedid (<c>DestLinkedid</c> for a Dial with no caller channel, <c>LocalOneLinkedid</c> for
    /// a LocalBridge), and one naming none (DeviceStateChange, OriginateResponse, bridge
    /// lifecycle) joins the call of the event before it, so every event of the block is in one call.
    /// </summary>
    /// <returns>For each call, the byte ranges of its events in a block buffer.</returns>
    public IReadOnlyList<List<(int Offset, int Length)>> EventsByCall()
    {
        var text = Encoding.ASCII.GetString(_template);
        var calls = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        var order = new List<List<(int, int)>>();
        List<(int, int)>? previous = null;
        for (var start = 0; start < text.Length;)
        {
            var end = text.IndexOf("\r\n\r\n", start, StringComparison.Ordinal) + 4;
            var message = text[start..end];
            var key = Header(message, "Linkedid") ?? Header(message, "DestLinkedid") ?? Header(message, "LocalOneLinkedid");
            var call = previous;
            if (key is not null && !calls.TryGetValue(key, out call))
            {
                call = [];
                calls.Add(key, call);
                order.Add(call);
            }

            // Only the block's very first event could lack both a Linkedid and a predecessor.
            call ??= order.Count > 0 ? order[0] : throw new InvalidDataException("The recording starts with an event of no call.");
            call.Add((start, end - start));
            previous = call;
            start = end;
        }

        return order;
    }

    private static string? Header(string message, string name)
    {
        var at = message.IndexOf("\r\n" + name + ": ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var value = at + name.Length + 4;
        return message[value..message.IndexOf('\r', value)];
    }

    /// <summary>A buffer for <see cref="Fill"/>, one per writer.</summary>
    public byte[] CreateBuffer() => (byte[])_template.Clone();

    /// <summary>Writes block <paramref name="block"/> into <paramref name="buffer"/>: the template with the block number patched in.</summary>
    public void Fill(byte[] buffer, int block)
    {
        Span<byte> hex = stackalloc byte[8];
        for (var i = 0; i < 8; i++)
        {
            var nibble = (block >> (4 * (7 - i))) & 0xF;
            hex[i] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }

        foreach (var (offset, digits) in _patches)
        {
            hex[(8 - digits)..].CopyTo(buffer.AsSpan(offset, digits));
        }
    }

    [GeneratedRegex(@"rec-[0-9a-f]{16}-")]
    private static partial Regex UniqueId();

    [GeneratedRegex(@"-[0-9a-f]{8}(?=;)")]
    private static partial Regex ChannelSuffix();

    [GeneratedRegex(@"(Variable: X_TRACK\r\nValue: c)(\d+)")]
    private static partial Regex TrackingValue();

    [GeneratedRegex(@"Variable: X_TRACK\r\nValue: c([0-9]{6})-")]
    private static partial Regex PatchedTrackingValue();
}
