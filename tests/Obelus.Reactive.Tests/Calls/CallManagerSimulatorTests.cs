using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Obelus.Reactive.Tests.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The manager's own Originate actions, played against the AMI simulator's scripted outcomes
/// (modern event sequences shaped like the captures); the server's answer is then fed to the
/// manager in wire order through the fake connection, so the manager stays single-threaded.
/// </summary>
public sealed class CallManagerSimulatorTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("Local/100@default", true, CallChange.Ended, CallOutcome.Answered, 16)]
    [InlineData("Local/100@default", false, CallChange.Ended, CallOutcome.Answered, 16)]
    [InlineData("Local/200@default", true, CallChange.Ended, CallOutcome.Busy, 17)]
    [InlineData("Local/300@default", true, CallChange.Ended, CallOutcome.NoAnswer, null)]
    [InlineData("Local/500@default", true, CallChange.Ended, CallOutcome.Congestion, null)]
    [InlineData("Local/400@default", true, CallChange.Ended, CallOutcome.Answered, 16)]
    [InlineData("Local/999@nonexistent", true, CallChange.Ended, CallOutcome.Failed, 0)]
    [InlineData("PJSIP/alice", true, CallChange.Failed, CallOutcome.Failed, null)]
    [InlineData("PJSIP/alice", false, CallChange.Failed, CallOutcome.Failed, null)]
    public async Task Scripted_outcome_is_reported(string channel, bool async, CallChange terminalChange, CallOutcome outcome, int? cause)
    {
        var simulatorClock = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = simulatorClock });
        await using var server = new RawAmiClient(simulator.CreateConnection());
        await server.LoginAsync();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, FakeAmiConnection.InlineOptions, scheduler: new TestScheduler());
        var observer = new TestScheduler().CreateObserver<CallState>();

        using var subscription = manager.Originate(new OriginateRequest
        {
            Channel = channel,
            Context = "default",
            Exten = "100",
            Timeout = TimeSpan.FromSeconds(5),
            Async = async,
        }).Subscribe(observer);
        var originate = connection.LastSent;
        var handled = simulator.Actions.FirstAsync(a => a.Name == "Originate").ToTask();
        await server.SendAsync(originate);
        await handled.WaitAsync(SafetyTimeout);
        simulatorClock.AdvanceBy(TimeSpan.FromMinutes(2).Ticks);
        await server.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });

        foreach (var message in await server.ReadToEndAsync())
        {
            if (message is AmiEvent amiEvent)
            {
                connection.Push(amiEvent);
            }
            else if (message.ActionId == originate.ActionId)
            {
                connection.Respond(originate.ActionId!, (AmiResponse)message);
            }
        }

        var states = observer.Messages.Where(m => m.Value.Kind == NotificationKind.OnNext).Select(m => m.Value.Value).ToList();
        var terminal = states[^1];
        Assert.Equal(terminalChange, terminal.Change);
        Assert.Equal(outcome, terminal.Outcome);
        if (cause is not null)
        {
            Assert.Equal(cause, (int?)terminal.HangupCause);
        }

        Assert.Equal(NotificationKind.OnCompleted, observer.Messages[^1].Value.Kind);
        Assert.Equal(async || terminalChange == CallChange.Ended, states[0].Change == CallChange.Queued);
        Assert.Equal(0, manager.RetainedEntries);
    }
}
