using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>Throwing and blocking subscribers against the read loop, the other subscribers and memory.</summary>
[Collection(SerialLoadTests.Name)]
public sealed class SubscriberTests
{
    private const int Burst = 100_000;

    private static IObservable<AmiEvent> BurstEvents(AmiClient client) =>
        client.Events.Where(e => e.Name is not ("FullyBooted" or "SuccessfulAuth"));

    [Fact]
    public async Task A_throwing_subscriber_is_dropped_and_every_other_subscriber_still_gets_every_event()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        var thrown = 0;
        var others = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var throwerGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Client.SubscriberLoopEnded = () => throwerGone.TrySetResult();
        using var throwing = BurstEvents(h.Client).Subscribe(_ =>
        {
            thrown++;
            throw new InvalidOperationException("subscriber bug");
        });
        using var other = BurstEvents(h.Client).Subscribe(_ =>
        {
            if (++others == 1000)
            {
                done.TrySetResult();
            }
        });

        h.Simulator.EmitEventBurst(1000);
        await done.Task.WaitAsync(SimulatorClientHarness.Safety);
        await throwerGone.Task.WaitAsync(SimulatorClientHarness.Safety);

        Assert.Equal(1, thrown);
        Assert.Equal(1000, others);
        Assert.Equal(AmiConnectionStatus.Connected, h.Client.State.Status);
        Assert.Contains(h.Log.Lines, l => l.Contains("subscriber threw", StringComparison.Ordinal) && l.Contains("subscriber bug", StringComparison.Ordinal));
        Assert.Equal("Pong", (await h.Client.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatorClientHarness.Safety))["Ping"]);
    }

    [Fact]
    public async Task A_blocked_subscriber_holds_at_most_the_buffer_capacity_and_with_Wait_nothing_is_lost_once_released()
    {
        const int Capacity = 1000;
        await using var h = new SimulatorClientHarness(o => o with { EventBufferCapacity = Capacity, EventOverflow = AmiEventOverflow.Wait });
        await h.ConnectAsync();
        using var release = new ManualResetEventSlim();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Client.BackpressureStarted = () => blocked.TrySetResult();
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = BurstEvents(h.Client).Subscribe(_ =>
        {
            release.Wait(SimulatorClientHarness.Safety);
            if (++received == Burst)
            {
                done.TrySetResult();
            }
        });

        h.Simulator.EmitEventBurst(Burst);
        await blocked.Task.WaitAsync(SimulatorClientHarness.Safety);
        var bufferedWhileBlocked = h.Client.BufferedCount;
        release.Set();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(50));

        Assert.Equal(Capacity, bufferedWhileBlocked);
        Assert.Equal(Burst, received);
        Assert.Equal(0, h.Client.EventsDropped);
    }

    [Fact]
    public async Task A_blocked_subscriber_with_DropOldest_loses_exactly_the_reported_count_and_keeps_the_newest()
    {
        const int Capacity = 1000;
        await using var h = new SimulatorClientHarness(o => o with { EventBufferCapacity = Capacity, EventOverflow = AmiEventOverflow.DropOldest }, settle: false);
        await h.ConnectAsync();
        using var release = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queueDrained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var uniqueids = new List<string>();
        var drops = new List<long>();
        using var dropSubscription = h.Client.EventDrops.Subscribe(d => { lock (drops) { drops.Add(d); } });
        using var slow = BurstEvents(h.Client).Subscribe(e =>
        {
            lock (uniqueids)
            {
                uniqueids.Add(e["Uniqueid"]!);
                if (uniqueids.Count == 1 + Capacity)
                {
                    queueDrained.TrySetResult();
                }

                if (uniqueids.Count == 1 + Capacity + 1)
                {
                    allDelivered.TrySetResult();
                }
            }

            inHandler.TrySetResult();
            release.Wait(SimulatorClientHarness.Safety);
        });

        h.Simulator.EmitEventBurst(1);
        await inHandler.Task.WaitAsync(SimulatorClientHarness.Safety);
        h.Simulator.EmitEventBurst(Burst);

        // The Ping's answer follows the burst on the wire: once it is back, the whole burst was read.
        await h.Client.SendAsync(new AmiAction("Ping")).WaitAsync(TimeSpan.FromSeconds(50));
        var dropped = h.Client.EventsDropped;
        release.Set();

        // The queue must be drained first, or the last event would push one more out of it.
        await queueDrained.Task.WaitAsync(SimulatorClientHarness.Safety);
        h.Simulator.EmitEventBurst(1);
        await allDelivered.Task.WaitAsync(SimulatorClientHarness.Safety);

        Assert.Equal(Burst - Capacity, dropped);
        Assert.Equal(dropped, h.Client.EventsDropped);
        lock (drops)
        {
            Assert.Equal(dropped, drops[^1]);
        }

        lock (uniqueids)
        {
            var sequence = uniqueids.Select(Sequence).ToList();
            Assert.Equal(sequence[1] + Capacity - 1, sequence[Capacity]);
            Assert.Equal(sequence[0] + Burst, sequence[Capacity]);
        }

        Assert.Contains(h.Log.Lines, l => l.Contains("event(s) dropped so far", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscriber_blocked_on_its_own_action_does_not_stop_the_read_loop()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        var answered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = BurstEvents(h.Client).Take(1).Subscribe(_ =>
        {
            // Blocking on a response inside a handler: the read loop, not the dispatcher, completes it.
            var pong = h.Client.SendAsync(new AmiAction("Ping")).Wait(SimulatorClientHarness.Safety);
            answered.TrySetResult(pong ? "answered" : "stuck");
        });

        h.Simulator.EmitEventBurst(1);

        Assert.Equal("answered", await answered.Task.WaitAsync(SimulatorClientHarness.Safety));
    }

    [Fact]
    public async Task With_DropOldest_a_subscriber_blocked_forever_does_not_stop_another_from_getting_a_whole_burst_in_order()
    {
        const int Capacity = 10_000;
        const int IsolationBurst = 10_000;
        await using var h = new SimulatorClientHarness(o => o with { EventBufferCapacity = Capacity, EventOverflow = AmiEventOverflow.DropOldest }, settle: false);
        await h.ConnectAsync();
        using var release = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var blocked = BurstEvents(h.Client).Subscribe(_ =>
        {
            inHandler.TrySetResult();
            release.Wait(SimulatorClientHarness.Safety);
        });
        var received = new List<long>();
        var reached = new TaskCompletionSource[3];
        for (var i = 0; i < reached.Length; i++)
        {
            reached[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        using var other = BurstEvents(h.Client).Subscribe(e =>
        {
            received.Add(Sequence(e["Uniqueid"]!));
            switch (received.Count)
            {
                case 1: reached[0].TrySetResult(); break;
                case 1 + IsolationBurst: reached[1].TrySetResult(); break;
                case 1 + (2 * IsolationBurst): reached[2].TrySetResult(); break;
            }
        });

        try
        {
            h.Simulator.EmitEventBurst(1);
            await inHandler.Task.WaitAsync(SimulatorClientHarness.Safety);
            await reached[0].Task.WaitAsync(SimulatorClientHarness.Safety);

            // First burst: fills the blocked subscriber's queue exactly. Second burst: arrives while it is full.
            h.Simulator.EmitEventBurst(IsolationBurst);
            await reached[1].Task.WaitAsync(SimulatorClientHarness.Safety);
            var droppedAfterFirst = h.Client.EventsDropped;
            h.Simulator.EmitEventBurst(IsolationBurst);
            await reached[2].Task.WaitAsync(SimulatorClientHarness.Safety);

            Assert.Equal(0, droppedAfterFirst);
            Assert.Equal(IsolationBurst, h.Client.EventsDropped);
            Assert.Equal(Enumerable.Range(0, 1 + (2 * IsolationBurst)).Select(i => received[0] + i), received);
            Assert.Equal(Capacity, h.Client.BufferedCount);
            Assert.Contains(h.Log.Lines, l => l.Contains("subscription #1 is behind", StringComparison.Ordinal));
            Assert.DoesNotContain(h.Log.Lines, l => l.Contains("subscription #2 is behind", StringComparison.Ordinal));
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task With_Wait_a_blocked_subscriber_does_not_delay_another_while_its_queue_has_room()
    {
        const int Capacity = 20_000;
        const int IsolationBurst = 10_000;
        await using var h = new SimulatorClientHarness(o => o with { EventBufferCapacity = Capacity, EventOverflow = AmiEventOverflow.Wait });
        await h.ConnectAsync();
        var backpressure = 0;
        h.Client.BackpressureStarted = () => Interlocked.Increment(ref backpressure);
        using var release = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blockedReceived = new List<long>();
        var blockedDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var blocked = BurstEvents(h.Client).Subscribe(e =>
        {
            blockedReceived.Add(Sequence(e["Uniqueid"]!));
            inHandler.TrySetResult();
            release.Wait(SimulatorClientHarness.Safety);
            if (blockedReceived.Count == 1 + IsolationBurst)
            {
                blockedDone.TrySetResult();
            }
        });
        var received = new List<long>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var other = BurstEvents(h.Client).Subscribe(e =>
        {
            received.Add(Sequence(e["Uniqueid"]!));
            if (received.Count == 1 + IsolationBurst)
            {
                done.TrySetResult();
            }
        });

        try
        {
            h.Simulator.EmitEventBurst(1);
            await inHandler.Task.WaitAsync(SimulatorClientHarness.Safety);
            h.Simulator.EmitEventBurst(IsolationBurst);
            await done.Task.WaitAsync(SimulatorClientHarness.Safety);

            Assert.Equal(Enumerable.Range(0, 1 + IsolationBurst).Select(i => received[0] + i), received);
            Assert.Equal(IsolationBurst, h.Client.BufferedCount);
            Assert.Equal(0, Volatile.Read(ref backpressure));
        }
        finally
        {
            release.Set();
        }

        await blockedDone.Task.WaitAsync(SimulatorClientHarness.Safety);
        Assert.Equal(received, blockedReceived);
        Assert.Equal(0, h.Client.EventsDropped);
    }

    private static long Sequence(string uniqueid) =>
        long.Parse(uniqueid[(uniqueid.IndexOf('.', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
