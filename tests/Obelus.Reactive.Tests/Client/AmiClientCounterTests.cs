using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>The figures a client keeps for monitoring: events received, and whether a slow subscriber holds up reading.</summary>
public class AmiClientCounterTests
{
    [Fact]
    public async Task Events_received_counts_every_event_read_whether_or_not_anyone_subscribes()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        server.AutoPong = true;

        await server.SendEventAsync("E1");
        await server.SendEventAsync("E2");
        await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety);   // read after the events
        var unobserved = harness.Client.EventsReceived;
        using var subscription = harness.Client.Events.Subscribe(_ => { });
        await server.SendEventAsync("E3");
        await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety);

        Assert.Equal(2, unobserved);
        Assert.Equal(3, harness.Client.EventsReceived);
    }

    [Fact]
    public async Task Is_waiting_for_subscribers_only_while_a_full_queue_holds_up_reading()
    {
        await using var harness = new ClientHarness(o => o with { EventBufferCapacity = 1, EventOverflow = AmiEventOverflow.Wait });
        var server = await harness.ConnectAsync();
        server.AutoPong = true;
        using var release = new ManualResetEventSlim();
        var blocked = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.BackpressureStarted = () => blocked.TrySetResult(harness.Client.IsWaitingForSubscribers);
        using var subscription = harness.Client.Events.Subscribe(_ => release.Wait(FakeAmiServer.Safety));
        var before = harness.Client.IsWaitingForSubscribers;

        for (var i = 1; i <= 3; i++)
        {
            await server.SendEventAsync("E" + i);   // E1 in the handler, E2 in the queue, E3 waits
        }

        var whileBlocked = await blocked.Task.WaitAsync(FakeAmiServer.Safety);
        release.Set();
        await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety);

        Assert.False(before);
        Assert.True(whileBlocked);
        Assert.False(harness.Client.IsWaitingForSubscribers);
        Assert.Equal(0, harness.Client.EventsDropped);
    }
}
