using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>
/// The whole stack across a lost connection: CallManager over an AmiClient with a reconnect
/// policy over the in-memory simulator, whose calls outlive the session, all on one virtual clock.
/// </summary>
[Collection(SerialLoadTests.Name)]
public sealed class CallsAcrossReconnectTests
{
    [Fact]
    public async Task A_call_that_is_up_when_the_connection_resets_continues_on_the_same_observable_and_ends_answered()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        using var manager = new CallManager(h.Client, scheduler: h.Clock);
        var states = new List<CallState>();
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var originated = h.HandledAsync("Originate");
        using var call = manager.Originate(new OriginateRequest { Channel = "Local/long@default", Context = "default", Exten = "1000" })
            .Subscribe(
                state =>
                {
                    lock (states)
                    {
                        states.Add(state);
                    }

                    if (state.ChannelState == ChannelState.Up)
                    {
                        up.TrySetResult();
                    }
                },
                () => ended.TrySetResult());
        await originated;
        h.Clock.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        await up.Task.WaitAsync(SimulatorClientHarness.Safety);

        var resynced = h.HandledAsync("Status");
        h.Simulator.ResetConnections();
        await h.LostAsync();
        await h.ReconnectAsync();
        await resynced;

        // A Ping answered after the Status list proves the list has been read before time moves on.
        await h.Client.SendAsync(new Obelus.Reactive.Protocol.AmiAction("Ping")).WaitAsync(SimulatorClientHarness.Safety);
        Assert.False(ended.Task.IsCompleted, "the call must stay live through the outage");
        Assert.Equal(2, h.Simulator.ChannelCount);

        h.Clock.AdvanceBy(TimeSpan.FromSeconds(40).Ticks);
        await ended.Task.WaitAsync(SimulatorClientHarness.Safety);

        lock (states)
        {
            var last = states[^1];
            Assert.Equal(CallChange.Ended, last.Change);
            Assert.Equal(CallOutcome.Answered, last.Outcome);
            Assert.Equal(HangupCause.NormalClearing, last.HangupCause);
            Assert.Single(states, s => s.IsTerminal);
            Assert.DoesNotContain(states, s => s.Outcome is CallOutcome.Lost or CallOutcome.LostDuringDisconnect);
        }
    }

    [Fact]
    public async Task A_call_hung_up_while_disconnected_ends_lost_during_disconnect_after_the_resync()
    {
        // Reconnecting only after a minute, with calls allowed to wait two, keeps the client away while the call ends.
        await using var h = new SimulatorClientHarness(o => o with { Reconnect = new AmiReconnectPolicy { InitialDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(2), Jitter = 0 } });
        await h.ConnectAsync();
        using var manager = new CallManager(h.Client, new CallManagerOptions { ReconnectGrace = TimeSpan.FromMinutes(2) }, h.Clock);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var originated = h.HandledAsync("Originate");
        var last = manager.Originate(new OriginateRequest { Channel = "Local/long@default", Context = "default", Exten = "1000" })
            .Do(state =>
            {
                if (state.ChannelState == ChannelState.Up)
                {
                    up.TrySetResult();
                }
            })
            .LastAsync()
            .ToTask();
        await originated;
        h.Clock.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        await up.Task.WaitAsync(SimulatorClientHarness.Safety);

        // The connection drops; while the client waits to reconnect, the call ends on the server.
        h.Simulator.ResetConnections();
        var reconnecting = await h.StateAsync(AmiConnectionStatus.Reconnecting);
        var callOver = TimeSpan.FromSeconds(45);
        h.Clock.AdvanceBy(callOver.Ticks);
        Assert.Equal(0, h.Simulator.ChannelCount);
        Assert.False(last.IsCompleted, "the call waits for the new login");

        // Stop exactly at the reconnect: the client then logs in on other threads, and the virtual
        // clock must not move while they schedule on it.
        h.Clock.AdvanceBy((reconnecting.Delay - callOver).Ticks);
        await h.StateAsync(AmiConnectionStatus.Connected, 2);

        var end = await last.WaitAsync(SimulatorClientHarness.Safety);

        Assert.Equal(CallChange.Ended, end.Change);
        Assert.Equal(CallOutcome.LostDuringDisconnect, end.Outcome);
    }
}
