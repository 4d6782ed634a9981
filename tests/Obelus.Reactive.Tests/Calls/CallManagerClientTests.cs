using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The whole stack: CallManager over a real AmiClient over the in-memory AMI simulator. The
/// simulator runs in virtual time (advanced by the test once the Originate was handled); the
/// client and the manager keep the default scheduler, whose timers never come due here.
/// </summary>
public sealed class CallManagerClientTests
{
    private static readonly TimeSpan Safety = SimulatorStack.Safety;

    private static Task<(AmiSimulator Simulator, TestScheduler Clock, AmiClient Client)> StartAsync() => SimulatorStack.StartAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Originated_call_is_tracked_from_queued_to_answered_end(bool withFilters)
    {
        var (simulator, clock, client) = await StartAsync();
        await using var simulatorScope = simulator;
        await using var clientScope = client;
        using var manager = new CallManager(client);
        if (withFilters)
        {
            await manager.SetupFiltersAsync().WaitAsync(Safety);
        }

        // The call's events are generated only once Queued is out: events that overtake the
        // response are folded into Queued (documented), and this test follows each change.
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var states = manager.Originate(new OriginateRequest { Channel = "Local/100@default", Context = "default", Exten = "100" })
            .Do(s => queued.TrySetResult())
            .ToList().ToTask();
        await queued.Task.WaitAsync(Safety);
        clock.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        var sequence = await states.WaitAsync(Safety);

        Assert.Equal(CallChange.Queued, sequence[0].Change);
        Assert.Contains(sequence, s => s.Change == CallChange.StateChanged && s.ChannelState == ChannelState.Up);
        Assert.Contains(sequence, s => s.Change == CallChange.DialingFinished && s.DialStatus == "ANSWER");
        var end = sequence[^1];
        Assert.Equal(CallChange.Ended, end.Change);
        Assert.Equal(CallOutcome.Answered, end.Outcome);
        Assert.Equal(HangupCause.NormalClearing, end.HangupCause);
        Assert.All(sequence.Where(s => s.UniqueIds.Count > 0), s => Assert.StartsWith("obelus-", s.UniqueIds[0], StringComparison.Ordinal));
        Assert.Equal(1, sequence.Count(s => s.IsTerminal));
    }

    [Fact]
    public async Task Incoming_call_from_the_simulator_is_handed_out_once()
    {
        var (simulator, clock, client) = await StartAsync();
        await using var simulatorScope = simulator;
        await using var clientScope = client;
        using var manager = new CallManager(client);
        var ends = manager.IncomingCalls
            .Where(call => call.CallerIdNumber == "4569")
            .SelectMany(call => call.States.LastAsync())
            .FirstAsync()
            .ToTask();

        simulator.SimulateIncomingCall("\"IAX Guest\" <4569>");
        clock.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        var end = await ends.WaitAsync(Safety);

        Assert.Equal(CallDirection.Incoming, end.Direction);
        Assert.Equal(CallOutcome.Answered, end.Outcome);
        Assert.Empty(manager.TrackedCalls);
    }
}
