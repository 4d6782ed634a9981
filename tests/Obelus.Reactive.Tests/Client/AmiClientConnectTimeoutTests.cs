using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Client;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>
/// Opening the transport has its own timeout, and closing the client ends an attempt in
/// progress: a server that accepts TCP and never finishes the TLS handshake (or a host that never
/// answers) cannot hold a client, or its socket, for good.
/// </summary>
public sealed class AmiClientConnectTimeoutTests
{
    private static AmiClientOptions Options(int port = 5038) => new()
    {
        Host = "localhost",
        Port = port,
        Username = "obelus",
        Secret = "obelus",
        KeepAliveInterval = null,
        ActionTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task A_transport_that_never_opens_fails_the_connect_at_the_connect_timeout_and_is_closed_when_it_opens_later()
    {
        var scheduler = new ThreadSafeTestScheduler();
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var opens = new TaskCompletionSource<IDuplexPipe>(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = AmiTransport.FromPipe(_ =>
        {
            // Ignores its token on purpose, like a connect call that cannot be cancelled.
            called.TrySetResult();
            return new ValueTask<IDuplexPipe>(opens.Task);
        });
        await using var client = new AmiClient(Options(), transport, scheduler);

        var connecting = client.ConnectAsync();
        await called.Task.WaitAsync(FakeAmiServer.Safety);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks - 1);
        Assert.False(connecting.IsCompleted);
        scheduler.AdvanceBy(1);

        var error = await Assert.ThrowsAsync<AmiTimeoutException>(() => connecting.WaitAsync(FakeAmiServer.Safety));
        Assert.Contains("connect timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(AmiConnectionStatus.Disconnected, client.State.Status);

        using var late = new FakeAmiServer();
        opens.SetResult(late.ClientPipe);
        await late.ReadLoop.WaitAsync(FakeAmiServer.Safety); // the client closed the pipe it no longer wants
    }

    [Fact]
    public async Task A_tls_handshake_the_server_never_answers_times_out_and_its_socket_is_closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var scheduler = new ThreadSafeTestScheduler();
        await using var client = new AmiClient(Options(port), AmiTransport.Tls("localhost", port), scheduler);

        var connecting = client.ConnectAsync();
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(FakeAmiServer.Safety);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);

        await Assert.ThrowsAsync<AmiTimeoutException>(() => connecting.WaitAsync(FakeAmiServer.Safety));
        await PeerClosesAsync(accepted);
    }

    [Fact]
    public async Task Disposing_ends_a_tls_handshake_in_progress_and_closes_its_socket()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var client = new AmiClient(Options(port), AmiTransport.Tls("localhost", port), new TestScheduler());

        var connecting = client.ConnectAsync();
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(FakeAmiServer.Safety);
        await client.DisposeAsync().AsTask().WaitAsync(FakeAmiServer.Safety);

        await Assert.ThrowsAsync<AmiConnectionException>(() => connecting.WaitAsync(FakeAmiServer.Safety));
        await PeerClosesAsync(accepted);
        Assert.Equal(AmiConnectionStatus.Closed, client.State.Status);
    }

    [Fact]
    public async Task A_reconnect_attempt_that_never_opens_is_given_up_at_the_connect_timeout_and_the_next_one_is_scheduled()
    {
        await using var harness = new ClientHarness(o => o with
        {
            Reconnect = new AmiReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 },
        });
        harness.Transport.Hangs = attempt => attempt == 2;
        var first = await harness.ConnectAsync();

        await first.CloseAsync();
        var reconnecting = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting);
        harness.Scheduler.AdvanceBy(reconnecting.Delay.Ticks);
        Assert.Equal(2, await harness.Transport.Hanging.Reader.ReadAsync().AsTask().WaitAsync(FakeAmiServer.Safety));
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);

        var next = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting && s.Attempt == 2);
        Assert.IsType<AmiTimeoutException>(next.Reason);
        await harness.Transport.HungAttemptCancelled.Task.WaitAsync(FakeAmiServer.Safety);
        harness.Scheduler.AdvanceBy(next.Delay.Ticks);
        await harness.StateAsync(s => s.Status == AmiConnectionStatus.Connected);
    }

    [Fact]
    public async Task Disposing_during_a_reconnect_attempt_that_never_opens_cancels_it_and_closes()
    {
        var harness = new ClientHarness(o => o with { Reconnect = new AmiReconnectPolicy { Jitter = 0 } });
        harness.Transport.Hangs = attempt => attempt == 2;
        var first = await harness.ConnectAsync();
        await first.CloseAsync();
        var reconnecting = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting);
        harness.Scheduler.AdvanceBy(reconnecting.Delay.Ticks);
        await harness.Transport.Hanging.Reader.ReadAsync().AsTask().WaitAsync(FakeAmiServer.Safety);

        await harness.DisposeAsync();

        Assert.True(harness.Transport.HungAttemptCancelled.Task.IsCompleted);
        Assert.Equal(AmiConnectionStatus.Closed, harness.Client.State.Status);
    }

    /// <summary>Reads (and discards) until the peer closes or resets; fails after the safety timeout.</summary>
    private static async Task PeerClosesAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var safety = new CancellationTokenSource(FakeAmiServer.Safety);
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, safety.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                return;
            }

            if (read == 0)
            {
                return;
            }
        }
    }
}
