using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing.Internal;

namespace Obelus.Reactive.Testing;

/// <summary>
/// A simulated Asterisk on the wire: an AMI server that logs clients in, answers actions and emits
/// the event sequences a real Asterisk 22 emits for scripted call outcomes, with every delay on an
/// <see cref="IScheduler"/> so whole calls run in virtual time under a <c>TestScheduler</c>.
/// Serves in-memory connections (<see cref="CreateConnection"/>) and loopback TCP (<see cref="StartTcpAsync"/>).
/// </summary>
public sealed class AmiSimulator : IAsyncDisposable, IDisposable
{
    private readonly SimulatedServer _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private X509Certificate2? _certificate;
    private bool _disposed;

    /// <summary>Creates a simulator; nothing listens until a connection is created or TCP is started.</summary>
    /// <param name="options">Credentials, banner, scheduler, logger, seed; null for the defaults.</param>
    /// <param name="dialplan">The extensions; null for <see cref="SimulatedDialplan.CreateDefault"/>.</param>
    /// <exception cref="ArgumentException">An option that cannot go on the wire (empty, or with CR/LF) or a limit out of range.</exception>
    public AmiSimulator(AmiSimulatorOptions? options = null, SimulatedDialplan? dialplan = null)
    {
        Options = options ?? new AmiSimulatorOptions();
        Options.Validate();
        Dialplan = dialplan ?? SimulatedDialplan.CreateDefault();
        _server = new SimulatedServer(Options, Dialplan, Faults);
        Actions = _server.Actions.AsObservable();
    }

    /// <summary>The settings in force.</summary>
    public AmiSimulatorOptions Options { get; }

    /// <summary>The extensions calls are routed by; may be changed while running.</summary>
    public SimulatedDialplan Dialplan { get; }

    /// <summary>Fault switches for reliability tests.</summary>
    public AmiSimulatorFaults Faults { get; } = new();

    /// <summary>
    /// Every action a session received, published once the simulator has handled it: its response
    /// is queued or, for a blocking action (a synchronous Originate, a refused login), its steps are
    /// scheduled. Useful to assert what the code under test sent, and to
    /// know when to advance a <c>TestScheduler</c>.
    /// </summary>
    public IObservable<AmiRequest> Actions { get; }

    /// <summary>Number of open sessions.</summary>
    public int SessionCount => _server.SessionCount;

    /// <summary>Number of live channels.</summary>
    public int ChannelCount => _server.ChannelCount;

    /// <summary>The scheduler every delay runs on.</summary>
    public IScheduler Scheduler => _server.Scheduler;

    /// <summary>
    /// Opens an in-memory session and returns the client's end: read the greeting and events from
    /// its <see cref="IDuplexPipe.Input"/>, write actions to its <see cref="IDuplexPipe.Output"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The simulator was disposed.</exception>
    public IDuplexPipe CreateConnection()
    {
        var link = new InMemoryLink(_server.Gauge);
        Serve(link.Server, "IPV4/TCP/127.0.0.1/5038", "IPV4/TCP/127.0.0.1/" + (40000 + SessionCount).ToString(System.Globalization.CultureInfo.InvariantCulture), link);
        return link.Client;
    }

    /// <summary>Listens on loopback TCP; returns the bound endpoint (pass port 0 for a free port).</summary>
    /// <exception cref="InvalidOperationException">TCP was already started.</exception>
    public Task<IPEndPoint> StartTcpAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_listener is not null)
            {
                throw new InvalidOperationException("The simulator already listens on TCP.");
            }

            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _running.Add(AcceptLoopAsync(_listener, _stopping.Token));
            return Task.FromResult((IPEndPoint)_listener.LocalEndpoint);
        }
    }

    /// <summary>
    /// Listens on loopback TCP and serves AMI over TLS with <paramref name="certificate"/> (which must
    /// have its private key); returns the bound endpoint (pass port 0 for a free port).
    /// </summary>
    /// <exception cref="InvalidOperationException">TCP or TLS was already started.</exception>
    public Task<IPEndPoint> StartTlsAsync(X509Certificate2 certificate, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The server certificate needs its private key.", nameof(certificate));
        }

        lock (_gate)
        {
            _certificate = certificate;
        }

        return StartTcpAsync(port, cancellationToken);
    }

    /// <summary>
    /// Starts an incoming call from outside (a non-Local channel with its own Linkedid): Newchannel
    /// at once, then answered (Answer, Wait, Hangup) or left ringing until the caller gives up.
    /// </summary>
    /// <param name="callerId">The caller, as <c>"Name" &lt;number&gt;</c> or a bare number.</param>
    /// <param name="exten">The dialled extension (default 900, in context <c>incoming</c>).</param>
    /// <param name="answer">Whether the call is answered.</param>
    /// <param name="duration">Talk time when answered, ringing time when not (default 2 s).</param>
    public SimulatedCall SimulateIncomingCall(string callerId, string exten = "900", bool answer = true, TimeSpan? duration = null)
    {
        ArgumentNullException.ThrowIfNull(callerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(exten);
        var span = duration ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThan(span, TimeSpan.Zero, nameof(duration));
        return _server.StartIncomingCall(callerId, exten, answer, span);
    }

    /// <summary>Starts an incoming call every <paramref name="interval"/> until the result is disposed.</summary>
    public IDisposable SimulateIncomingCalls(TimeSpan interval, bool answer = true, TimeSpan? duration = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var count = 0;
        return Scheduler.SchedulePeriodic(interval, () =>
        {
            count++;
            SimulateIncomingCall($"\"Caller {count}\" <{5000 + count}>", "900", answer, duration);
        });
    }

    /// <summary>Emits <paramref name="count"/> realistic call events (fresh ids) to every session, through its filters.</summary>
    public void EmitEventBurst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _server.EmitBurst(count);
    }

    /// <summary>Fault: writes the first half of one more event to every session, then closes it.</summary>
    public void CloseConnectionsMidMessage() => _server.CloseSessionsMidMessage();

    /// <summary>Fault: resets every session (in memory the client reads an <see cref="IOException"/>; over TCP it gets an RST). Output not yet written is lost.</summary>
    public void ResetConnections() => _server.ResetSessions();

    /// <summary>
    /// Fault: writes <paramref name="bytes"/> verbatim to every logged-in session, ignoring filters and
    /// event masks: events for channels that were never announced, oversized or malformed messages.
    /// </summary>
    public void InjectRaw(ReadOnlySpan<byte> bytes) => _server.InjectRaw(bytes.ToArray());

    /// <summary>Closes every session and the listener; waits for them to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _listener?.Stop();
            running = [.. _running];
        }

        _server.Shutdown();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            // Expected while stopping, and from sessions that ResetConnections aborted on purpose.
        }
        finally
        {
            _server.Dispose();
            _listener?.Dispose();
            _stopping.Dispose();
        }
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Serve(IDuplexPipe transport, string local, string remote, InMemoryLink? link = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var session = _server.Accept(transport, local, remote, link: link);
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(() => session.RunAsync(_stopping.Token)));
        }
    }

    private async Task ServeTcpAsync(TcpClient client, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        using (client)
        {
            Stream stream = client.GetStream();
            if (certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                try
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // The client refused the certificate or went away during the handshake.
                    Internal.LogMessages.AcceptFailed(_server.Logger, "TLS handshake failed: " + ex.Message);
                    await tls.DisposeAsync().ConfigureAwait(false);
                    return;
                }

                stream = tls;
            }

            await using (stream.ConfigureAwait(false))
            {
                var transport = new DuplexPipe(PipeReader.Create(stream), PipeWriter.Create(stream));
                var local = (IPEndPoint)client.Client.LocalEndPoint!;
                var remote = (IPEndPoint)client.Client.RemoteEndPoint!;
                SimulatorSession session;
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    session = _server.Accept(transport, "IPV4/TCP/" + local, "IPV4/TCP/" + remote, abort: () =>
                    {
                        client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                    });
                }

                await session.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);

                // A real Asterisk answers small actions at once; Nagle plus the client's delayed ACK
                // would add ~40 ms to every lone round trip.
                client.NoDelay = true;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    Internal.LogMessages.AcceptFailed(_server.Logger, ex.Message);
                }

                return;
            }

            lock (_gate)
            {
                if (_disposed)
                {
                    client.Dispose();
                    return;
                }

                _running.RemoveAll(t => t.IsCompleted);
                _running.Add(Task.Run(() => ServeTcpAsync(client, _certificate, cancellationToken), CancellationToken.None));
            }
        }
    }
}
