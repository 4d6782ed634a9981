using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class AmiClientEventTests
{
    [Fact]
    public async Task A_throwing_subscriber_is_dropped_and_the_others_keep_receiving()
    {
        var logger = new CapturingLogger();
        await using var harness = new ClientHarness(logger: logger);
        var server = await harness.ConnectAsync();
        var thrower = 0;
        var good = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var throwerGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.SubscriberLoopEnded = () => throwerGone.TrySetResult();
        using var bad = harness.Client.Events.Subscribe(_ =>
        {
            thrower++;
            throw new InvalidOperationException("handler bug");
        });
        using var ok = harness.Client.Events.Subscribe(e =>
        {
            good.Add(e.Name);
            if (good.Count == 3)
            {
                done.TrySetResult();
            }
        });

        await server.SendEventAsync("One");
        await server.SendEventAsync("Two");
        await server.SendEventAsync("Three");
        await done.Task.WaitAsync(FakeAmiServer.Safety);
        await throwerGone.Task.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(["One", "Two", "Three"], good);
        Assert.Equal(1, thrower);
        Assert.Equal(1, harness.Client.EventSubscriberCount);
        Assert.Equal(1, harness.Client.RunningSubscriberLoops);
        Assert.Contains(logger.Lines, l => l.Contains("handler bug", StringComparison.Ordinal));
        server.AutoPong = true;
        Assert.Equal("Pong", (await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety))["Ping"]);
    }

    [Fact]
    public async Task An_event_handler_can_block_on_an_action_without_deadlock()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        server.AutoPong = true;
        var answered = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = harness.Client.Events.Subscribe(_ =>
        {
            // Blocking in a handler is bad style, but it must not hang the client.
            var pong = harness.Client.SendAsync(new AmiAction("Ping")).GetAwaiter().GetResult();
            answered.TrySetResult(pong["Ping"]);
        });

        await server.SendEventAsync("Newchannel");

        Assert.Equal("Pong", await answered.Task.WaitAsync(FakeAmiServer.Safety));
    }

    [Fact]
    public async Task Drop_oldest_counts_and_reports_every_lost_event()
    {
        var logger = new CapturingLogger();
        await using var harness = new ClientHarness(o => o with { EventBufferCapacity = 2, EventOverflow = AmiEventOverflow.DropOldest }, logger);
        var server = await harness.ConnectAsync();
        using var release = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = new List<string>();
        var drops = new List<long>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var dropSubscription = harness.Client.EventDrops.Subscribe(drops.Add);
        using var subscription = harness.Client.Events.Subscribe(e =>
        {
            delivered.Add(e.Name);
            if (e.Name == "E1")
            {
                inHandler.TrySetResult();
                release.Wait(FakeAmiServer.Safety);
            }

            if (e.Name == "E5")
            {
                last.TrySetResult();
            }
        });

        await server.SendEventAsync("E1");
        await inHandler.Task.WaitAsync(FakeAmiServer.Safety);
        for (var i = 2; i <= 5; i++)
        {
            await server.SendEventAsync("E" + i);
        }

        // The response is read after the four events, so by then the buffer has overflowed twice.
        server.AutoPong = true;
        await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety);
        Assert.Equal(2, harness.Client.EventsDropped);
        release.Set();
        await last.Task.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(["E1", "E4", "E5"], delivered);
        Assert.Equal([2L], drops);
        Assert.Contains(logger.Lines, l => l.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wait_policy_stops_reading_when_the_buffer_is_full_and_loses_nothing()
    {
        await using var harness = new ClientHarness(o => o with { EventBufferCapacity = 1, EventOverflow = AmiEventOverflow.Wait });
        var server = await harness.ConnectAsync();
        using var release = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.BackpressureStarted = () => blocked.TrySetResult();
        var delivered = new List<string>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = harness.Client.Events.Subscribe(e =>
        {
            delivered.Add(e.Name);
            if (e.Name == "E1")
            {
                inHandler.TrySetResult();
                release.Wait(FakeAmiServer.Safety);
            }

            if (e.Name == "E4")
            {
                last.TrySetResult();
            }
        });

        await server.SendEventAsync("E1");
        await inHandler.Task.WaitAsync(FakeAmiServer.Safety);
        var ping = harness.Client.SendAsync(new AmiAction("Ping"));
        var request = await server.NextActionAsync();
        for (var i = 2; i <= 4; i++)
        {
            await server.SendEventAsync("E" + i);
        }

        await server.RespondAsync(request, "Success", ("Ping", "Pong"));
        await blocked.Task.WaitAsync(FakeAmiServer.Safety);

        // E2 fills the buffer, E3 blocks the read loop, so the response behind it stays unread.
        var timedOut = await Assert.ThrowsAsync<AmiTimeoutException>(async () =>
        {
            harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);
            await ping.WaitAsync(FakeAmiServer.Safety);
        });
        Assert.Contains("event buffer", timedOut.Message, StringComparison.Ordinal);
        release.Set();
        await last.Task.WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(["E1", "E2", "E3", "E4"], delivered);
        Assert.Equal(0, harness.Client.EventsDropped);
    }

    [Fact]
    public async Task Disposing_completes_events_and_states()
    {
        var harness = new ClientHarness();
        _ = await harness.ConnectAsync();
        var eventsDone = harness.Client.Events.LastOrDefaultAsync().ToTask();
        var states = harness.Client.States.Select(s => s.Status).ToList().ToTask();

        await harness.DisposeAsync();
        await harness.DisposeAsync();

        Assert.Null(await eventsDone.WaitAsync(FakeAmiServer.Safety));
        var seen = await states.WaitAsync(FakeAmiServer.Safety);
        Assert.Equal([AmiConnectionStatus.Connected, AmiConnectionStatus.Closing, AmiConnectionStatus.Closed], seen);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Client.SendAsync(new AmiAction("Ping")));
    }
}
