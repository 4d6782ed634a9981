using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class AmiClientKeepAliveTests
{
    private static AmiClientOptions KeepAlive(AmiClientOptions o) => o with
    {
        KeepAliveInterval = TimeSpan.FromSeconds(20),
        KeepAliveTimeout = TimeSpan.FromSeconds(10),
        ActionTimeout = TimeSpan.FromHours(1),
    };

    [Fact]
    public async Task Unanswered_ping_marks_the_connection_dead_at_the_keep_alive_timeout_and_fails_pending_actions()
    {
        await using var harness = new ClientHarness(KeepAlive);
        var server = await harness.ConnectAsync();
        var pending = harness.Client.SendAsync(new AmiAction("Status"));
        Assert.Equal("Status", (await server.NextActionAsync()).Name);

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(20).Ticks);
        Assert.Equal("Ping", (await server.NextActionAsync()).Name);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks - 1);
        Assert.Equal(AmiConnectionStatus.Connected, harness.Client.State.Status);
        Assert.False(pending.IsCompleted);

        harness.Scheduler.AdvanceBy(1);

        var state = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Disconnected);
        Assert.Contains("Keep-alive", state.Reason!.Message, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<AmiConnectionException>(() => pending.WaitAsync(FakeAmiServer.Safety));
        Assert.Contains("Keep-alive", error.Message, StringComparison.Ordinal);
        await server.ReadLoop.WaitAsync(FakeAmiServer.Safety); // the transport was closed
    }

    [Fact]
    public async Task Answered_ping_keeps_the_connection()
    {
        await using var harness = new ClientHarness(KeepAlive);
        var server = await harness.ConnectAsync();

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(20).Ticks);
        var ping = await server.NextActionAsync();
        Assert.Equal("Ping", ping.Name);
        await server.RespondAsync(ping, "Success", ("Ping", "Pong"));

        // A later response proves the Pong was read first.
        var marker = harness.Client.SendAsync(new AmiAction("Marker"));
        await server.RespondAsync(await server.NextActionAsync(), "Success");
        await marker.WaitAsync(FakeAmiServer.Safety);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);

        Assert.Equal(AmiConnectionStatus.Connected, harness.Client.State.Status);
    }

    [Fact]
    public async Task No_ping_is_sent_before_login_completes()
    {
        await using var harness = new ClientHarness(KeepAlive);
        harness.Transport.AutoLogin = false;
        var connecting = harness.Client.ConnectAsync();
        var server = await harness.Transport.NextServerAsync();
        var login = await server.NextActionAsync();

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(60).Ticks);
        await server.RespondAsync(login, "Success", ("Message", "Authentication accepted"));
        await connecting.WaitAsync(FakeAmiServer.Safety);
        var marker = harness.Client.SendAsync(new AmiAction("Marker"));

        Assert.Equal("Marker", (await server.NextActionAsync()).Name);
        await server.RespondAsync(server.Received[^1], "Success");
        await marker.WaitAsync(FakeAmiServer.Safety);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(20).Ticks);
        Assert.Equal("Ping", (await server.NextActionAsync()).Name);
        server.AutoLogin = true;
        server.AutoPong = true;
    }

    [Fact]
    public async Task A_dead_connection_found_by_keep_alive_is_reconnected()
    {
        await using var harness = new ClientHarness(o => KeepAlive(o) with
        {
            Reconnect = new AmiReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 },
        });
        var first = await harness.ConnectAsync();

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(20).Ticks);
        Assert.Equal("Ping", (await first.NextActionAsync()).Name);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);
        var reconnecting = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting);
        Assert.Contains("Keep-alive", reconnecting.Reason!.Message, StringComparison.Ordinal);
        harness.Scheduler.AdvanceBy(reconnecting.Delay.Ticks);
        var second = await harness.Transport.NextServerAsync();

        await harness.StateAsync(s => s.Status == AmiConnectionStatus.Connected);
        Assert.Equal("Login", second.Received[0].Name);
        second.AutoPong = true;
    }

    [Fact]
    public async Task A_ping_stuck_behind_a_full_event_buffer_does_not_kill_the_connection()
    {
        var logger = new CapturingLogger();
        await using var harness = new ClientHarness(o => KeepAlive(o) with { EventBufferCapacity = 1 }, logger);
        var server = await harness.ConnectAsync();
        using var release = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.BackpressureStarted = () => blocked.TrySetResult();
        using var subscription = harness.Client.Events.Subscribe(e =>
        {
            if (e.Name == "E1")
            {
                inHandler.TrySetResult();
                release.Wait(FakeAmiServer.Safety);
            }
        });
        await server.SendEventAsync("E1");
        await inHandler.Task.WaitAsync(FakeAmiServer.Safety);
        await server.SendEventAsync("E2");
        await server.SendEventAsync("E3");
        await blocked.Task.WaitAsync(FakeAmiServer.Safety);

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(20).Ticks);
        var ping = await server.NextActionAsync();
        await server.RespondAsync(ping, "Success", ("Ping", "Pong"));
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);

        Assert.Equal(AmiConnectionStatus.Connected, harness.Client.State.Status);
        Assert.Contains(logger.Lines, l => l.Contains("not treating the connection as dead", StringComparison.Ordinal));
        release.Set();
        server.AutoPong = true;
        Assert.Equal("Pong", (await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety))["Ping"]);
    }
}
