using System.IO.Pipelines;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>
/// One in-memory connection between a client and the simulator, with the count of what is on
/// its way in each direction. Idle (for the simulator's <see cref="WorkGauge"/>) when the
/// simulator has handled every byte the client wrote and waits for more, and the client has
/// consumed every byte the simulator queued, or has stopped reading.
/// </summary>
internal sealed class InMemoryLink : IIdleProbe
{
    private readonly WorkGauge _gauge;
    private long _clientWritten;
    private long _serverConsumed;
    private long _serverQueued;
    private long _clientConsumed;
    private volatile bool _serverWaiting;
    private volatile bool _clientGone;
    private int _followed;

    public InMemoryLink(WorkGauge gauge)
    {
        _gauge = gauge;

        // Inline: what the client writes is handled by the simulator before the client's flush
        // returns, at the same virtual time (a thread-pool hop could let the clock move first).
        var toServer = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        var toClient = new Pipe(new PipeOptions(useSynchronizationContext: false));
        Client = new ClientEnd(this, new CountingPipeReader(toClient.Reader, this, clientSide: true), new CountingPipeWriter(toServer.Writer, this));
        Server = new DuplexPipe(new CountingPipeReader(toServer.Reader, this, clientSide: false), toClient.Writer);
    }

    /// <summary>The client's end: reads what the simulator sends, writes actions.</summary>
    public IDuplexPipe Client { get; }

    /// <summary>The simulator's end.</summary>
    public IDuplexPipe Server { get; }

    public bool IsIdle =>
        _clientGone
        || (_serverWaiting
            && Interlocked.Read(ref _clientWritten) == Interlocked.Read(ref _serverConsumed)
            && Interlocked.Read(ref _serverQueued) == Interlocked.Read(ref _clientConsumed));

    /// <summary>The simulator queued bytes for the client (before they reach the pipe).</summary>
    public void Queued(int bytes) => Interlocked.Add(ref _serverQueued, bytes);

    /// <summary>The client wrote bytes for the simulator.</summary>
    public void ClientWrote(int bytes) => Interlocked.Add(ref _clientWritten, bytes);

    public void Consumed(bool clientSide, long bytes)
    {
        if (clientSide)
        {
            Interlocked.Add(ref _clientConsumed, bytes);
        }
        else
        {
            Interlocked.Add(ref _serverConsumed, bytes);
        }

        _gauge.Touch();
    }

    /// <summary>The simulator's session waits for the client's next bytes (or for its own clock), or stops waiting.</summary>
    public void ServerWaiting(bool waiting)
    {
        _serverWaiting = waiting;
        if (waiting)
        {
            _gauge.Touch();
        }
    }

    public void ReaderDone(bool clientSide)
    {
        if (clientSide)
        {
            _clientGone = true;
            _gauge.Remove(this);
        }
    }

    private WorkGauge Follow()
    {
        // Only a client that reports its own work is waited for: a test reading the raw pipe
        // by hand would otherwise hold every virtual-time step until the wait gives up.
        if (Interlocked.Exchange(ref _followed, 1) == 0 && !_clientGone)
        {
            _gauge.Add(this);
        }

        return _gauge;
    }

    private sealed class ClientEnd(InMemoryLink link, PipeReader input, PipeWriter output) : ISettlingPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;

        public WorkGauge Follow() => link.Follow();
    }
}
