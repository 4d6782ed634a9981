using System.IO.Pipelines;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// One transport connection of a client: its pipe, its parser, its write lock and its read
/// loop. A reconnect makes a new session; a session is never reused.
/// </summary>
internal sealed class AmiSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<AmiBanner> _banner = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lost;
    private volatile string _reading = "not started";

    public AmiSession(int number, IDuplexPipe pipe, AmiReaderOptions readerOptions)
    {
        Number = number;
        Pipe = pipe;
        Reader = new AmiMessageReader(readerOptions with { ExpectBanner = true });
        Closing = _closing.Token; // kept: late writers may still ask for it after disposal
    }

    /// <summary>1 for the first connection of a client, then counting up.</summary>
    public int Number { get; }

    public IDuplexPipe Pipe { get; }

    public AmiMessageReader Reader { get; }

    /// <summary>Serialises writes so actions never interleave on the wire.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>Cancelled when the session is being torn down.</summary>
    public CancellationToken Closing { get; }

    public Task<AmiBanner> Banner => _banner.Task;

    public Task ReadLoop { get; set; } = Task.CompletedTask;

    /// <summary>True once login succeeded: only then does losing it trigger a reconnect.</summary>
    public bool LoggedIn { get; set; }

    /// <summary>The reconnect attempt that opened this session (0 for <c>ConnectAsync</c>).</summary>
    public int Attempt { get; set; }

    /// <summary>When login succeeded, on the client's scheduler.</summary>
    public DateTimeOffset ConnectedAt { get; set; }

    /// <summary>True once the server answered our Logoff with Goodbye: the end of the stream that follows is expected.</summary>
    public bool LoggedOff { get; set; }

    /// <summary>True once the server said Goodbye without being asked (no Logoff of ours): the close that follows is a loss.</summary>
    public bool UnsolicitedGoodbye { get; set; }

    /// <summary>True while the read loop waits for room in a full event buffer (backpressure).</summary>
    public bool WaitingForEventBuffer { get; set; }

    /// <summary>What the read loop is doing, for timeout messages.</summary>
    public string Reading
    {
        get => _reading;
        set => _reading = value;
    }

    public void SetBanner(AmiBanner banner) => _banner.TrySetResult(banner);

    public void FailBanner(Exception error) => _banner.TrySetException(error);

    /// <summary>
    /// Marks the session lost; true only for the first caller, whose <paramref name="reason"/>
    /// is kept: the read loop ending because someone else tore the session down must not
    /// replace the real cause (say, a keep-alive timeout) with "closed".
    /// </summary>
    public bool MarkLost(AmiConnectionException? reason = null)
    {
        if (Interlocked.Exchange(ref _lost, 1) != 0)
        {
            return false;
        }

        LossReason = reason;
        _closing.Cancel();
        return true;
    }

    /// <summary>Why the session was lost, as told by the first one to notice.</summary>
    public AmiConnectionException? LossReason { get; private set; }

    public bool IsLost => Volatile.Read(ref _lost) != 0;

    /// <summary>Waits for the read loop, then closes both halves of the pipe.</summary>
    public async ValueTask DisposeAsync()
    {
        MarkLost();
        try
        {
            await ReadLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The read loop reports its own failure; here only the teardown matters.
        }

        await WriteLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await Pipe.Output.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            WriteLock.Release();
        }

        switch (Pipe)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        _closing.Dispose();
    }
}
