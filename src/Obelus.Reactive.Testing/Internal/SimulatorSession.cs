using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>
/// One client connection of the simulated server: reads actions, hands them to the server one at
/// a time (like an Asterisk session thread), and writes what the server queues, in order.
/// </summary>
internal sealed class SimulatorSession
{
    private readonly IDuplexPipe _transport;
    private readonly SimulatedServer _server;
    private readonly Channel<byte[]> _output = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action? _abort;
    private readonly InMemoryLink? _link;
    private List<byte[]>? _held;
    private bool _closed;
    private bool _reset;

    public SimulatorSession(int id, IDuplexPipe transport, SimulatedServer server, string localAddress, string remoteAddress, Action? abort = null, InMemoryLink? link = null)
    {
        _link = link;
        Id = id;
        _abort = abort;
        _transport = transport;
        _server = server;
        LocalAddress = localAddress;
        RemoteAddress = remoteAddress;
    }

    public int Id { get; }

    /// <summary>Like <c>IPV4/TCP/127.0.0.1/5038</c>.</summary>
    public string LocalAddress { get; }

    public string RemoteAddress { get; }

    public string SessionId => "0x" + (0x7fa700000000L + (Id * 0x1000L)).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    public bool Authenticated { get; set; }

    public string? Username { get; set; }

    public bool EventsOn { get; set; } = true;

    public string? Challenge { get; set; }

    public List<EventFilter> Filters { get; } = [];

    public bool Closed
    {
        get => Volatile.Read(ref _closed);
        private set => Volatile.Write(ref _closed, value);
    }

    /// <summary>Runs the session until either side closes it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var writing = WriteLoopAsync(cancellationToken);
        try
        {
            await ReadLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessages.SessionFailed(_server.Logger, ex, Id);
            throw;
        }
        finally
        {
            _server.OnSessionEnded(this);
            Close();
            await writing.ConfigureAwait(false);
            await _transport.Input.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Queues bytes for the client (called under the server gate).</summary>
    public void Send(byte[] bytes)
    {
        if (!Closed && _output.Writer.TryWrite(bytes))
        {
            _link?.Queued(bytes.Length);
        }
    }

    /// <summary>Queues an event, or keeps it back while the session is blocked in an action.</summary>
    public void SendEvent(byte[] bytes)
    {
        if (_held is not null)
        {
            _held.Add(bytes);
            return;
        }

        Send(bytes);
    }

    /// <summary>Holds events back, as Asterisk does while a session runs a blocking action.</summary>
    public void Hold() => _held ??= [];

    /// <summary>Sends the held events (after the blocking action's response).</summary>
    public void Release()
    {
        var held = _held;
        _held = null;
        if (held is null)
        {
            return;
        }

        foreach (var bytes in held)
        {
            Send(bytes);
        }
    }

    /// <summary>Closes the connection once everything already queued is written.</summary>
    public void Close()
    {
        if (Closed)
        {
            return;
        }

        Closed = true;
        _output.Writer.TryComplete();
    }

    /// <summary>
    /// Fault: ends the connection like a reset. Output still queued is dropped; an in-memory client
    /// reads an <see cref="IOException"/>, a TCP client gets an RST.
    /// </summary>
    public void Reset()
    {
        if (Closed)
        {
            return;
        }

        Volatile.Write(ref _reset, true);
        Close();
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = false, MaxMessageBytes = _server.Options.MaxActionBytes, MaxLineLength = _server.Options.MaxActionBytes });
        var input = _transport.Input;
        var requests = new List<AmiReadResult>();
        while (!Closed)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (read.IsCanceled)
            {
                return;
            }

            var buffer = read.Buffer;
            while (reader.TryRead(ref buffer, out var item))
            {
                requests.Add(item);
            }

            if (read.IsCompleted)
            {
                var error = reader.Complete(buffer);
                if (error is not null)
                {
                    _server.OnTruncatedInput(this, error);
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            foreach (var item in requests)
            {
                if (Closed)
                {
                    break;
                }

                // Observers of Actions run here, inside the simulator's own work: an action they
                // send must not wait for the simulator to finish what it is doing (itself).
                Task handling;
                WorkGauge.EnterInFlight();
                try
                {
                    handling = _server.HandleAsync(this, item, cancellationToken);
                }
                finally
                {
                    WorkGauge.ExitInFlight();
                }

                // Waiting for its own clock (a refused login's delay): nothing happens here until
                // virtual time moves, so the connection counts as idle meanwhile.
                var waitsForClock = !handling.IsCompleted;
                if (waitsForClock)
                {
                    _link?.ServerWaiting(true);
                }

                try
                {
                    await handling.ConfigureAwait(false);
                }
                finally
                {
                    if (waitsForClock)
                    {
                        _link?.ServerWaiting(false);
                    }
                }
            }

            requests.Clear();
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var output = _transport.Output;
        try
        {
            await foreach (var bytes in _output.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Volatile.Read(ref _reset))
                {
                    break;
                }

                var flushed = await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the connection is completed below.
        }
        catch (IOException)
        {
            // The peer went away; nothing left to write to.
        }
        finally
        {
            Closed = true;
            if (Volatile.Read(ref _reset))
            {
                _abort?.Invoke();
                await output.CompleteAsync(new IOException("Connection reset by peer (simulated fault).")).ConfigureAwait(false);
            }
            else
            {
                await output.CompleteAsync().ConfigureAwait(false);
            }

            _transport.Input.CancelPendingRead();
        }
    }
}
