using System.Buffers;
using System.Globalization;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing;

/// <summary>
/// Generates realistic modern (Asterisk 12+) call events, about 450 bytes each on the wire, with
/// fresh unique ids: for load tests and benchmarks of readers and folds.
/// </summary>
public static class AmiEventGenerator
{
    private static readonly string[] Names = ["Newchannel", "Newstate", "NewCallerid", "NewConnectedLine", "Hangup", "VarSet", "Newexten"];

    /// <summary>Creates <paramref name="count"/> events; the same <paramref name="seed"/> gives the same events.</summary>
    public static IReadOnlyList<AmiEvent> Create(int count, int seed = 1, long epoch = 1795682138)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var events = new AmiEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = CreateEvent(random, epoch, i + 1);
        }

        return events;
    }

    /// <summary>The events of <see cref="Create"/> as AMI wire bytes, one after the other.</summary>
    public static byte[] CreateBytes(int count, int seed = 1, long epoch = 1795682138)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(count, 1) * 460);
        foreach (var ev in Create(count, seed, epoch))
        {
            AmiWriter.WriteMessage(ev, buffer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    internal static AmiEvent CreateEvent(Random random, long epoch, int sequence)
    {
        var name = Names[random.Next(Names.Length)];
        var suffix = random.Next(1, 0xFFFFFF).ToString("x8", CultureInfo.InvariantCulture);
        var exten = "030" + random.Next(1_000_000, 10_000_000).ToString(CultureInfo.InvariantCulture);
        var half = random.Next(2) == 0 ? ";1" : ";2";
        var uniqueid = epoch.ToString(CultureInfo.InvariantCulture) + "." + sequence.ToString(CultureInfo.InvariantCulture);
        var caller = "+4930" + random.Next(1_000_000, 10_000_000).ToString(CultureInfo.InvariantCulture);
        var state = name == "Newchannel" ? "0" : "6";
        var headers = new List<(string, string)>
        {
            ("Privilege", name is "VarSet" or "Newexten" ? "dialplan,all" : "call,all"),
            ("Channel", $"Local/{exten}@from-internal-{suffix}{half}"),
            ("ChannelState", state),
            ("ChannelStateDesc", state == "0" ? "Down" : "Up"),
            ("CallerIDNum", caller),
            ("CallerIDName", "Obelus Load Test Caller"),
            ("ConnectedLineNum", caller),
            ("ConnectedLineName", "Obelus Load Test Caller"),
            ("Language", "en"),
            ("AccountCode", string.Empty),
            ("Context", "from-internal"),
            ("Exten", exten),
            ("Priority", "1"),
            ("Uniqueid", uniqueid),
            ("Linkedid", uniqueid),
        };
        switch (name)
        {
            case "Hangup":
                headers.Add(("Cause", "16"));
                headers.Add(("Cause-txt", "Normal Clearing"));
                break;
            case "VarSet":
                headers.Add(("Variable", "X_TRACK"));
                headers.Add(("Value", caller));
                break;
            case "Newexten":
                headers.Add(("Extension", exten));
                headers.Add(("Application", "Wait"));
                headers.Add(("AppData", "1"));
                break;
            case "NewCallerid":
                headers.Add(("CID-CallingPres", "0 (Presentation Allowed, Not Screened)"));
                break;
        }

        return AmiEvent.Create(name, headers);
    }
}
