using System.Buffers;

namespace Obelus.Reactive.Tests.Protocol;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the way a pipe hands data over.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Of(params ReadOnlyMemory<byte>[] chunks)
    {
        if (chunks.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Length; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> SplitAt(byte[] data, int at) =>
        Of(data.AsMemory(0, at), data.AsMemory(at));

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        var chunks = new ReadOnlyMemory<byte>[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            chunks[i] = data.AsMemory(i, 1);
        }

        return Of(chunks);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
