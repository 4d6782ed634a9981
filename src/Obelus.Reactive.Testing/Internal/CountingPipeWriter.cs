using System.IO.Pipelines;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>The client's pipe writer: tells its <see cref="InMemoryLink"/> how many bytes it was given.</summary>
internal sealed class CountingPipeWriter(PipeWriter inner, InMemoryLink link) : PipeWriter
{
    public override void Advance(int bytes)
    {
        // Counted before they can be read, so the reader is never seen ahead of the writer.
        link.ClientWrote(bytes);
        inner.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}
