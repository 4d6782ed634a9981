using System.Buffers;
using System.Runtime.InteropServices;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// The two loops the fold benchmarks time over a round written as AMI text: parse it and fold
/// each event the moment it is parsed, as a client does, or only parse it. Their difference is
/// what the fold adds to an event.
/// </summary>
internal static class WireRound
{
    /// <summary>Parses <paramref name="length"/> bytes of <paramref name="wire"/>, folding every event into <paramref name="tracker"/>.</summary>
    /// <returns>The events parsed, and the updates and timers the fold produced.</returns>
    public static (int Events, long Produced) ParseAndFold(CallTracker tracker, byte[] wire, int length, DateTimeOffset now)
    {
        var sink = new FoldSink(tracker, now);
        var events = Parse(wire, length, ref sink);
        return (events, sink.Produced);
    }

    /// <summary>Only parses what <see cref="ParseAndFold"/> parses and folds.</summary>
    /// <returns>The events parsed, and their headers (read, so the parse cannot be skipped).</returns>
    public static (int Events, long Headers) ParseOnly(byte[] wire, int length)
    {
        var sink = new HeaderCount();
        var events = Parse(wire, length, ref sink);
        return (events, sink.Headers);
    }

    /// <summary>Folds events parsed beforehand into <paramref name="tracker"/>, as <see cref="ParseAndFold"/> folds each one.</summary>
    /// <returns>The updates and timers the fold produced.</returns>
    public static long Fold(CallTracker tracker, ReadOnlySpan<AmiEvent> events, DateTimeOffset now)
    {
        var sink = new FoldSink(tracker, now);
        foreach (var e in events)
        {
            sink.Take(e);
        }

        return sink.Produced;
    }

    /// <summary>What <paramref name="writer"/> holds: its own array from the start, valid until it is written again.</summary>
    public static (byte[] Wire, int Length) Written(ArrayBufferWriter<byte> writer) =>
        MemoryMarshal.TryGetArray(writer.WrittenMemory, out var written) && written.Offset == 0
            ? (written.Array!, written.Count)
            : throw new InvalidOperationException("The round's buffer is not an array from its start.");

    /// <summary>Parses <paramref name="length"/> bytes of <paramref name="wire"/> into a list of its events.</summary>
    public static List<AmiEvent> ParseToList(byte[] wire, int length)
    {
        var sink = new EventList([]);
        Parse(wire, length, ref sink);
        return sink.Events;
    }

    // A struct sink: the loop is compiled once per sink type, so neither timed body pays a call
    // through an interface or a delegate per event.
    private static int Parse<TSink>(byte[] wire, int length, ref TSink sink)
        where TSink : struct, IEventSink
    {
        var events = 0;
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = false });
        var buffer = new ReadOnlySequence<byte>(wire, 0, length);
        while (reader.TryRead(ref buffer, out var result))
        {
            if (result.Message is AmiEvent e)
            {
                events++;
                sink.Take(e);
            }
        }

        return events;
    }

    private interface IEventSink
    {
        void Take(AmiEvent e);
    }

    private struct FoldSink(CallTracker tracker, DateTimeOffset now) : IEventSink
    {
        public long Produced;

        public void Take(AmiEvent e)
        {
            Produced += tracker.Apply(e, now).Count;
            Produced += tracker.TakeTimers().Count;
        }
    }

    private readonly struct EventList(List<AmiEvent> events) : IEventSink
    {
        public List<AmiEvent> Events => events;

        public void Take(AmiEvent e) => events.Add(e);
    }

    private struct HeaderCount : IEventSink
    {
        public long Headers;

        public void Take(AmiEvent e) => Headers += e.Count;
    }
}
