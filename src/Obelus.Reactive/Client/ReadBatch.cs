using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>What the read loop parsed from one socket read and has yet to hand over; reused from read to read.</summary>
internal sealed class ReadBatch
{
    /// <summary>Events handed over at a time when one read holds more (a 1 MiB read is ~3 000 events).</summary>
    public const int FlushEvents = 256;

    /// <summary>Events for the Events subscribers, in wire order.</summary>
    public List<AmiEvent> Events { get; } = new(64);

    /// <summary>Protocol errors for the shared buffer, in order.</summary>
    public List<AmiProtocolException> Errors { get; } = [];

    /// <summary>Scratch for the flush: subscribers whose queue was full, and the first event each has yet to take.</summary>
    public List<(EventSubscriber Subscriber, int Next)> Behind { get; } = [];

    public bool IsEmpty => Events.Count == 0 && Errors.Count == 0;

    public void Clear()
    {
        Events.Clear();
        Errors.Clear();
    }
}
