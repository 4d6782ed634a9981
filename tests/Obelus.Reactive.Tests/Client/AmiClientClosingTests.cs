using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary><see cref="AmiClient.State"/> never lags a failure, and disposal is bounded even with a subscriber that does not keep up.</summary>
public sealed class AmiClientClosingTests
{
    [Fact]
    public async Task The_state_has_left_connected_before_any_of_ten_thousand_pending_actions_fails_for_a_lost_connection()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var actions = Enumerable.Range(0, 10_000).Select(_ => harness.Client.SendAsync(new AmiAction("Status"))).ToArray();
        var failedBeforeDisconnected = -1;

        // States are published synchronously: this runs at the moment the client says Disconnected.
        using var states = harness.Client.States.Subscribe(s =>
        {
            if (s.Status == AmiConnectionStatus.Disconnected)
            {
                failedBeforeDisconnected = actions.Count(a => a.IsCompleted);
            }
        });
        await server.CloseAsync();
        await Assert.ThrowsAsync<AmiConnectionException>(() => Task.WhenAll(actions).WaitAsync(FakeAmiServer.Safety));

        Assert.Equal(0, failedBeforeDisconnected);
        Assert.All(actions, a => Assert.IsType<AmiConnectionException>(a.Exception!.InnerException));
    }

    [Fact]
    public async Task Disposing_leaves_connected_at_once_while_the_logoff_is_still_unanswered()
    {
        var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        server.AutoLogin = false;

        var disposing = harness.Client.DisposeAsync().AsTask();
        var status = harness.Client.State.Status;
        var logoff = await server.NextActionAsync();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety));
        await server.RespondAsync(logoff, "Goodbye");
        await server.CloseAsync();
        await disposing.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(AmiConnectionStatus.Closing, status);
        Assert.Equal("Logoff", logoff.Name);
        Assert.True(refused is ObjectDisposedException or AmiConnectionException, refused.ToString());
        Assert.Equal(AmiConnectionStatus.Closed, harness.Client.State.Status);
    }

    [Fact]
    public async Task A_states_subscriber_that_disposes_the_client_on_closing_gets_the_same_close()
    {
        var harness = new ClientHarness();
        _ = await harness.ConnectAsync();
        var closings = 0;
        Task? fromSubscriber = null;
        using var states = harness.Client.States.Subscribe(s =>
        {
            if (s.Status == AmiConnectionStatus.Closing)
            {
                Interlocked.Increment(ref closings);
                fromSubscriber = harness.Client.DisposeAsync().AsTask();
            }
        });

        await harness.DisposeAsync();
        await fromSubscriber!.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(1, closings);
        Assert.Equal(AmiConnectionStatus.Closed, harness.Client.State.Status);
    }

    [Fact]
    public async Task Disposal_waits_for_a_blocked_subscriber_at_most_the_dispose_timeout_then_drops_its_queue()
    {
        var logger = new CapturingLogger();
        var harness = new ClientHarness(o => o with { DisposeTimeout = TimeSpan.FromSeconds(5) }, logger);
        var server = await harness.ConnectAsync();
        server.AutoPong = true;
        using var gate = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        using var subscription = harness.Client.Events.Subscribe(
            _ =>
            {
                Interlocked.Increment(ref received);
                inHandler.TrySetResult();
                gate.Wait(FakeAmiServer.Safety);
            },
            () => completed.TrySetResult());
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.DisposeWaiting = () => waiting.TrySetResult();

        for (var i = 0; i < 100; i++)
        {
            await server.SendEventAsync("Tick", ("N", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety); // all 100 are queued
        await inHandler.Task.WaitAsync(FakeAmiServer.Safety);
        var disposing = harness.Client.DisposeAsync().AsTask();
        await waiting.Task.WaitAsync(FakeAmiServer.Safety);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks - 1);
        Assert.False(disposing.IsCompleted);
        harness.Scheduler.AdvanceBy(1);

        await disposing.WaitAsync(FakeAmiServer.Safety); // while the handler is still blocked
        Assert.False(completed.Task.IsCompleted);
        gate.Set();
        await completed.Task.WaitAsync(FakeAmiServer.Safety);
        Assert.Equal(1, received);
        Assert.Equal(99, harness.Client.EventsDropped);
        Assert.Contains(logger.Lines, l => l.Contains("disposal waited 00:00:05 for Events subscription", StringComparison.Ordinal));
    }
}
