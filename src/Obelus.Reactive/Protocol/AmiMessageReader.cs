using System.Buffers;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// Incremental, sans-I/O AMI reader: takes bytes as a <see cref="System.IO.Pipelines.PipeReader"/>
/// hands them over and yields whole messages, leaving partial ones in the buffer.
/// </summary>
public sealed class AmiMessageReader
{
    /// <summary>Creates a reader with the given limits.</summary>
    public AmiMessageReader(AmiReaderOptions? options = null)
    {
        Options = options ?? AmiReaderOptions.Default;
    }

    /// <summary>The limits in force.</summary>
    public AmiReaderOptions Options { get; }

    /// <summary>Bytes consumed since the start of the stream.</summary>
    public long Offset { get; private set; }

    /// <summary>
    /// Reads one item. On true, <paramref name="buffer"/> starts after the consumed bytes.
    /// On false, <paramref name="buffer"/> may still have moved forward (bytes of an over-limit
    /// message being skipped); the caller keeps what is left and calls again with more data.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out AmiReadResult result)
    {
        _ = buffer.Length + Offset;
        result = default;
        throw new NotImplementedException();
    }

    /// <summary>
    /// Tells the reader the stream has ended with <paramref name="remaining"/> unconsumed.
    /// Returns the error to report when a message was cut short, else null.
    /// </summary>
    public AmiProtocolException? Complete(ReadOnlySequence<byte> remaining)
    {
        _ = remaining.Length + Offset;
        throw new NotImplementedException();
    }
}
