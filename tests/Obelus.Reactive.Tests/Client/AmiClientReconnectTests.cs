using Obelus.Reactive.Client;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class AmiClientReconnectTests
{
    private static AmiClientOptions WithReconnect(AmiClientOptions o, int? maxAttempts = null) => o with
    {
        Reconnect = new AmiReconnectPolicy
        {
            InitialDelay = TimeSpan.FromSeconds(1),
            Multiplier = 2,
            MaxDelay = TimeSpan.FromSeconds(5),
            Jitter = 0,
            MaxAttempts = maxAttempts,
        },
    };

    [Fact]
    public async Task Reconnect_attempts_follow_the_capped_exponential_backoff_then_give_up()
    {
        await using var harness = new ClientHarness(o => WithReconnect(o, maxAttempts: 5));
        harness.Transport.Fails = attempt => attempt > 1;
        var server = await harness.ConnectAsync();
        var delays = new List<TimeSpan>();

        await server.CloseAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var state = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting && s.Attempt == attempt);
            delays.Add(state.Delay);
            harness.Scheduler.AdvanceBy(state.Delay.Ticks);
        }

        var closed = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Closed);
        Assert.Equal([1, 2, 4, 5, 5], delays.Select(d => d.TotalSeconds));
        Assert.Equal([0, 1, 3, 7, 12, 17], harness.Transport.Attempts.Select(t => (t - harness.Transport.Attempts[0]).TotalSeconds));
        Assert.Contains("Gave up", closed.Reason!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_continue_on_the_same_observable_after_a_reconnect_without_duplicates()
    {
        await using var harness = new ClientHarness(o => WithReconnect(o));
        var first = await harness.ConnectAsync();
        var received = new List<string>();
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = harness.Client.Events.Subscribe(e =>
        {
            lock (received)
            {
                received.Add(e.Name);
                if (e.Name == "E1")
                {
                    firstSeen.TrySetResult();
                }

                if (e.Name == "E3")
                {
                    allSeen.TrySetResult();
                }
            }
        });

        await first.SendEventAsync("E1");
        await firstSeen.Task.WaitAsync(FakeAmiServer.Safety);
        await first.CloseAsync();
        var reconnecting = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting);
        harness.Scheduler.AdvanceBy(reconnecting.Delay.Ticks);
        var second = await harness.Transport.NextServerAsync();
        await harness.StateAsync(s => s.Status == AmiConnectionStatus.Connected);
        await second.SendEventAsync("E2");
        await second.SendEventAsync("E3");
        await allSeen.Task.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(["E1", "E2", "E3"], received);
        Assert.Equal("Login", second.Received[0].Name);
        second.AutoPong = true;
        Assert.Equal("Pong", (await harness.Client.SendAsync(new Obelus.Reactive.Protocol.AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety))["Ping"]);
    }

    [Fact]
    public async Task A_refused_login_while_reconnecting_closes_the_client_instead_of_retrying()
    {
        await using var harness = new ClientHarness(o => WithReconnect(o));
        var first = await harness.ConnectAsync();
        harness.Transport.AutoLogin = false;

        await first.CloseAsync();
        var reconnecting = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting);
        harness.Scheduler.AdvanceBy(reconnecting.Delay.Ticks);
        var second = await harness.Transport.NextServerAsync();
        var login = await second.NextActionAsync();
        await second.RespondAsync(login, "Error", ("Message", "Authentication failed"));

        var closed = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Closed);
        Assert.IsType<AmiAuthenticationException>(closed.Reason);
        harness.Scheduler.AdvanceBy(TimeSpan.FromMinutes(10).Ticks);
        Assert.Equal(2, harness.Transport.Attempts.Count);
    }

    [Fact]
    public async Task Disposing_during_a_reconnect_attempt_abandons_it_and_closes()
    {
        var harness = new ClientHarness(o => WithReconnect(o));
        var first = await harness.ConnectAsync();
        harness.Transport.AutoLogin = false;
        await first.CloseAsync();
        var reconnecting = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting);
        harness.Scheduler.AdvanceBy(reconnecting.Delay.Ticks);
        var second = await harness.Transport.NextServerAsync();
        Assert.Equal("Login", (await second.NextActionAsync()).Name);

        await harness.DisposeAsync();

        Assert.Equal(AmiConnectionStatus.Closed, harness.Client.State.Status);
        await second.ReadLoop.WaitAsync(FakeAmiServer.Safety); // the half-open connection was closed
        harness.Scheduler.AdvanceBy(TimeSpan.FromMinutes(10).Ticks);
        Assert.Equal(2, harness.Transport.Attempts.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_goodbye_that_answers_no_logoff_then_a_close_is_a_lost_connection_that_reconnects(bool answersAnotherAction)
    {
        await using var harness = new ClientHarness(o => WithReconnect(o));
        var first = await harness.ConnectAsync();
        Task? pending = null;
        if (answersAnotherAction)
        {
            pending = harness.Client.SendAsync(new Obelus.Reactive.Protocol.AmiAction("Status"));
            var status = await first.NextActionAsync();
            await first.RespondAsync(status, "Goodbye", ("Message", "Thanks for all the fish."));
        }
        else
        {
            await first.SendRawAsync("Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n");
        }

        await first.CloseAsync();

        var reconnecting = await harness.StateAsync(s => s.Status is AmiConnectionStatus.Reconnecting or AmiConnectionStatus.Closed);
        Assert.Equal(AmiConnectionStatus.Reconnecting, reconnecting.Status);
        Assert.Contains("answered no Logoff", reconnecting.Reason!.Message, StringComparison.Ordinal);
        harness.Scheduler.AdvanceBy(reconnecting.Delay.Ticks);
        await harness.StateAsync(s => s.Status == AmiConnectionStatus.Connected);
        Assert.Equal(2, harness.Transport.Attempts.Count);
        if (pending is not null)
        {
            await pending.WaitAsync(FakeAmiServer.Safety); // the Goodbye was its answer
        }
    }

    [Fact]
    public async Task A_server_that_drops_every_session_right_after_login_meets_a_growing_delay_until_one_stays_up()
    {
        await using var harness = new ClientHarness(o => o with
        {
            Reconnect = new AmiReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(30), Jitter = 0 },
        });
        var server = await harness.ConnectAsync();
        var delays = new List<double>();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await server.CloseAsync();
            var reconnecting = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting && s.Attempt == attempt);
            delays.Add(reconnecting.Delay.TotalSeconds);
            harness.Scheduler.AdvanceBy(reconnecting.Delay.Ticks);
            server = await harness.Transport.NextServerAsync();
            await harness.StateAsync(s => s.Status == AmiConnectionStatus.Connected);
        }

        // This session stays up for the default 30 s: the next loss starts the backoff afresh.
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(30).Ticks);
        await server.CloseAsync();
        var afterStable = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Reconnecting);

        Assert.Equal([1, 2, 4, 8], delays);
        Assert.Equal((1, 1.0), (afterStable.Attempt, afterStable.Delay.TotalSeconds));
    }
}
