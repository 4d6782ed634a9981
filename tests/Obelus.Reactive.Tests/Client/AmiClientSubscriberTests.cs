using Obelus.Reactive.Client;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>Each Events subscriber has its own queue and drain loop: lifetimes, cleanup and completion.</summary>
public sealed class AmiClientSubscriberTests
{
    [Fact]
    public async Task A_thousand_subscribe_unsubscribe_cycles_leave_no_queue_and_no_running_loop()
    {
        const int Cycles = 1000;
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var ended = 0;
        var allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.SubscriberLoopEnded = () =>
        {
            if (Interlocked.Increment(ref ended) == Cycles)
            {
                allEnded.TrySetResult();
            }
        };

        for (var i = 0; i < Cycles; i++)
        {
            using var subscription = harness.Client.Events.Subscribe(_ => { });
            if (i % 100 == 0)
            {
                await server.SendEventAsync("E" + i);
            }
        }

        await allEnded.Task.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(Cycles, Volatile.Read(ref ended));
        Assert.Equal(0, harness.Client.EventSubscriberCount);
        Assert.Equal(0, harness.Client.RunningSubscriberLoops);
        Assert.Equal(0, harness.Client.BufferedCount);
    }

    [Fact]
    public async Task Unsubscribing_the_subscriber_whose_full_queue_holds_the_read_loop_lets_the_others_go_on()
    {
        await using var harness = new ClientHarness(o => o with { EventBufferCapacity = 1, EventOverflow = AmiEventOverflow.Wait });
        var server = await harness.ConnectAsync();
        using var release = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backpressure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = harness.Client.Events.Subscribe(_ =>
        {
            inHandler.TrySetResult();
            release.Wait(FakeAmiServer.Safety);
        });
        var delivered = new List<string>();
        var fastGotE2 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var fast = harness.Client.Events.Subscribe(e =>
        {
            lock (delivered)
            {
                delivered.Add(e.Name);
            }

            if (e.Name == "E2")
            {
                fastGotE2.TrySetResult();
            }

            if (e.Name == "E4")
            {
                last.TrySetResult();
            }
        });

        try
        {
            await server.SendEventAsync("E1");
            await inHandler.Task.WaitAsync(FakeAmiServer.Safety);
            await server.SendEventAsync("E2");
            await fastGotE2.Task.WaitAsync(FakeAmiServer.Safety);

            // E2 fills the slow queue (the fast one is empty again): the read loop waits to put E3 there.
            harness.Client.BackpressureStarted = () => backpressure.TrySetResult();
            await server.SendEventAsync("E3");
            await server.SendEventAsync("E4");
            await backpressure.Task.WaitAsync(FakeAmiServer.Safety);
            lock (delivered)
            {
                // The fast subscriber has E1 and E2, and may already have E3 and E4: its queue took
                // what fitted before the read loop began to wait for the slow one. In order either way.
                Assert.Equal(new[] { "E1", "E2", "E3", "E4" }.Take(delivered.Count), delivered);
                Assert.True(delivered.Count >= 2);
            }

            slow.Dispose();
            await last.Task.WaitAsync(FakeAmiServer.Safety);
        }
        finally
        {
            release.Set();
        }

        lock (delivered)
        {
            Assert.Equal(["E1", "E2", "E3", "E4"], delivered);
        }

        Assert.Equal(1, harness.Client.EventSubscriberCount);
    }

    [Fact]
    public async Task Closing_completes_each_subscriber_after_its_own_queue_is_drained()
    {
        var harness = new ClientHarness(o => o with { EventBufferCapacity = 10 });
        var server = await harness.ConnectAsync();
        using var release = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowSeen = new List<string>();
        var slowCompleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = harness.Client.Events.Subscribe(
            e =>
            {
                slowSeen.Add(e.Name);
                inHandler.TrySetResult();
                release.Wait(FakeAmiServer.Safety);
            },
            () => slowCompleted.TrySetResult());
        var fastSeen = new List<string>();
        var fastCompleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var fast = harness.Client.Events.Subscribe(e => fastSeen.Add(e.Name), () => fastCompleted.TrySetResult());

        Task disposing;
        try
        {
            await server.SendEventAsync("E1");
            await inHandler.Task.WaitAsync(FakeAmiServer.Safety);
            await server.SendEventAsync("E2");
            await server.SendEventAsync("E3");
            disposing = harness.DisposeAsync().AsTask();

            // The fast subscriber is completed while the slow one still holds E1 in its handler.
            await fastCompleted.Task.WaitAsync(FakeAmiServer.Safety);
            Assert.False(slowCompleted.Task.IsCompleted);
            Assert.False(disposing.IsCompleted);
        }
        finally
        {
            release.Set();
        }

        await slowCompleted.Task.WaitAsync(FakeAmiServer.Safety);
        await disposing.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(["E1", "E2", "E3"], fastSeen);
        Assert.Equal(["E1", "E2", "E3"], slowSeen);
        Assert.Equal(0, harness.Client.RunningSubscriberLoops);
    }
}
