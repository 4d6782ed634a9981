using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// With the default <see cref="CallObserverThreading.PerObserver"/>, an observer that blocks holds
/// up only itself: not the fold, not the other calls, not the other observers, not the client's
/// reading, and its queue is bounded without dropping anything.
/// </summary>
public sealed class SlowObserverTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static CallManagerOptions Options(int maxQueued = 10_000) =>
        new() { UseChannelId = ChannelIdMode.Never, TrackingVariable = "X_TRACK", MaxQueuedPerObserver = maxQueued };

    [Fact]
    public async Task A_blocked_observer_of_one_call_delays_neither_another_call_nor_another_observer_of_its_call()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        using var release = new ManualResetEventSlim();
        var calls = manager.IncomingCalls.Replay();
        using var connected = calls.Connect();
        connection.Push(Newchannel("a1", "SIP/alice-1", "a1"));
        connection.Push(Newstate("a1", 4, "a1"));
        var first = await calls.FirstAsync().ToTask().WaitAsync(Safety);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = first.States.Subscribe(_ =>
        {
            blocked.TrySetResult();
            release.Wait(Safety);
        });
        var sameCallEnd = first.States.LastAsync().ToTask();
        await blocked.Task.WaitAsync(Safety);

        // While that observer is stuck: the same call ends, and a second call comes and goes.
        connection.Push(Hangup("a1", 16));
        connection.Push(Newchannel("b1", "SIP/bob-1", "b1"));
        connection.Push(Newstate("b1", 4, "b1"));
        connection.Push(Hangup("b1", 16));
        var second = await calls.Skip(1).FirstAsync().ToTask().WaitAsync(Safety);
        var secondEnd = await second.States.LastAsync().ToTask().WaitAsync(Safety);
        var firstEnd = await sameCallEnd.WaitAsync(Safety);
        release.Set();

        Assert.Equal(CallChange.Ended, secondEnd.Change);
        Assert.Equal(CallChange.Ended, firstEnd.Change);
        Assert.Empty(manager.TrackedCalls);
    }

    [Fact]
    public async Task A_blocked_incoming_calls_subscriber_makes_another_miss_nothing_and_late()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        using var release = new ManualResetEventSlim();
        using var slow = manager.IncomingCalls.Subscribe(_ => release.Wait(Safety));
        var seen = manager.IncomingCalls.Take(3).Select(c => c.Id).ToList().ToTask();

        foreach (var id in (string[])["c1", "c2", "c3"])
        {
            connection.Push(Newchannel(id, "SIP/" + id, id));
            connection.Push(Newstate(id, 4, id));
        }

        var ids = await seen.WaitAsync(Safety);
        release.Set();

        Assert.Equal(["c1", "c2", "c3"], ids);
    }

    [Fact]
    public async Task An_observer_past_its_bound_makes_the_fold_wait_and_loses_nothing()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(maxQueued: 2), new TestScheduler());
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var foldWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.ObserverBackpressureStarted = () => foldWaits.TrySetResult();
        var seen = new List<string>();
        using var slow = manager.IncomingCalls.Subscribe(c =>
        {
            lock (seen)
            {
                seen.Add(c.Id);
                if (seen.Count == 5)
                {
                    all.TrySetResult();
                }
            }

            entered.TrySetResult();
            release.Wait(Safety);
        });
        connection.Push(Newchannel("c0", "SIP/c0", "c0"));
        connection.Push(Newstate("c0", 4, "c0"));
        await entered.Task.WaitAsync(Safety);

        // c0 is being delivered and two more fit in the queue: the fourth makes the fold wait.
        var pushing = Task.Run(() =>
        {
            foreach (var id in (string[])["c1", "c2", "c3", "c4"])
            {
                connection.Push(Newchannel(id, "SIP/" + id, id));
                connection.Push(Newstate(id, 4, id));
            }
        });
        await foldWaits.Task.WaitAsync(Safety);
        var pushedWhileBlocked = pushing.IsCompleted;
        release.Set();
        await pushing.WaitAsync(Safety);
        await all.Task.WaitAsync(Safety);

        Assert.False(pushedWhileBlocked);
        lock (seen)
        {
            Assert.Equal(["c0", "c1", "c2", "c3", "c4"], seen);
        }
    }

    [Fact]
    public async Task A_blocked_call_observer_does_not_stop_the_client_reading_or_answering()
    {
        var scheduler = new TestScheduler();

        // The observer blocks on purpose while time moves: virtual time must not wait for it.
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler, SettleTimeout = TimeSpan.Zero });
        await using var client = await AmiClient.ConnectAsync(
            new AmiClientOptions { Host = "sim", Username = "obelus", Secret = "obelus", KeepAliveInterval = null },
            AmiTransport.FromPipe(_ => ValueTask.FromResult(simulator.CreateConnection())),
            scheduler).WaitAsync(Safety);
        using var manager = new CallManager(client, scheduler: scheduler);
        using var release = new ManualResetEventSlim();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = manager.PlaceCall(new OriginateRequest { Channel = "Local/long@default", Context = "default", Exten = "1000" });
        using var slow = stuck.States.Subscribe(_ =>
        {
            blocked.TrySetResult();
            release.Wait(Safety);
        });
        await blocked.Task.WaitAsync(Safety);

        var other = manager.PlaceCall(new OriginateRequest { Channel = "Local/answer@default", Context = "default", Exten = "100" });
        await other.States.FirstAsync(st => st.Change == CallChange.Queued).ToTask().WaitAsync(Safety);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(100).Ticks);
        await other.States.FirstAsync(st => st.ChannelState == ChannelState.Up).ToTask().WaitAsync(Safety);
        var otherEnd = other.States.LastAsync().ToTask();
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);

        var pong = await client.SendAsync(new AmiAction("Ping")).WaitAsync(Safety);
        var end = await otherEnd.WaitAsync(Safety);
        release.Set();

        Assert.Equal("Pong", pong["Ping"]);
        Assert.Equal(CallOutcome.Answered, end.Outcome);
    }
}
