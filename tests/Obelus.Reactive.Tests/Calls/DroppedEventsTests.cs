using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// Under <see cref="AmiEventOverflow.DropOldest"/> a slow call observer makes the manager's own
/// event queue overflow: the manager learns of the gap and re-synchronises, so no call outlives
/// its channels.
/// </summary>
public sealed class DroppedEventsTests
{
    private static readonly TimeSpan Safety = SimulatorStack.Safety;

    [Fact]
    public async Task A_call_whose_hangups_were_dropped_ends_after_the_resynchronisation()
    {
        // The observer blocks on purpose while the clock moves: no waiting for it to finish.
        var (simulator, clock, client) = await SimulatorStack.StartAsync(
            simulator: clock => new AmiSimulatorOptions { Scheduler = clock, SettleTimeout = TimeSpan.Zero },
            client: o => o with { EventBufferCapacity = 16, EventOverflow = AmiEventOverflow.DropOldest });
        await using var simulatorScope = simulator;
        await using var clientScope = client;
        // Inline: the blocked observer holds up the manager's own delivery, so its events drop.
        using var manager = new CallManager(client, new CallManagerOptions { ObserverThreading = CallObserverThreading.Inline });
        using var release = new ManualResetEventSlim();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = simulator.Actions.FirstAsync(a => a.Name == "Originate").ToTask();

        var call = manager.PlaceCall(new OriginateRequest { Channel = "Local/100@default", Context = "default", Exten = "100" });
        using var slow = call.States.Where(s => s.ChannelState == ChannelState.Up).Take(1).Subscribe(_ =>
        {
            blocked.TrySetResult();
            release.Wait(Safety);
        });
        var end = call.States.LastAsync().ToTask();
        await handled.WaitAsync(Safety);

        // The response folded first (Queued), and the thread that folded it done: otherwise the Up
        // would be folded and delivered by that thread, and the observer would block it instead of
        // the manager's event delivery (then nothing would drop).
        // (Resumed on another thread: a continuation run inline by the folding thread would wait
        // for itself.)
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var first = call.States.Take(1).Subscribe(_ => queued.TrySetResult());
        await queued.Task.WaitAsync(Safety);
        Assert.True(SpinWait.SpinUntil(() => !manager.IsFolding, Safety), "The fold stayed busy.");
        clock.AdvanceBy(TimeSpan.FromMilliseconds(600).Ticks);
        await blocked.Task.WaitAsync(Safety);

        // While the observer blocks the manager's delivery: the call ends on the server and 200
        // unrelated events follow, far more than the manager's queue of 16 holds.
        clock.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        simulator.EmitEventBurst(200);
        await client.SendAsync(new Obelus.Reactive.Protocol.AmiAction("Ping")).WaitAsync(Safety);
        release.Set();
        var last = await end.WaitAsync(Safety);

        Assert.True(client.EventsDropped > 0);
        Assert.True(last.IsTerminal);
        Assert.Contains(last.Outcome, new CallOutcome?[] { CallOutcome.LostDuringDisconnect, CallOutcome.Answered });
        Assert.Empty(manager.TrackedCalls);
    }
}
