using System.Buffers;
using System.IO.Pipelines;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>
/// A pipe reader that tells its <see cref="InMemoryLink"/> how many bytes its reader consumed,
/// when it is done, and, on the simulator's side, whether it is waiting for more.
/// </summary>
internal sealed class CountingPipeReader(PipeReader inner, InMemoryLink link, bool clientSide) : PipeReader
{
    private ReadOnlySequence<byte> _last;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        // Only the simulator's side says it waits; the client's idleness is what it consumed.
        if (!clientSide)
        {
            link.ServerWaiting(true);
        }

        try
        {
            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            _last = result.Buffer;
            return result;
        }
        finally
        {
            if (!clientSide)
            {
                link.ServerWaiting(false);
            }
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        _last = result.Buffer;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var count = _last.Slice(_last.Start, consumed).Length;
        _last = default;
        inner.AdvanceTo(consumed, examined);
        link.Consumed(clientSide, count);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        inner.Complete(exception);
        link.ReaderDone(clientSide);
    }
}
