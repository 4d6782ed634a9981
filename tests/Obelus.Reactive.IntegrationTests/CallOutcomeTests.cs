using Obelus.Reactive.Calls;
using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>Every outcome of the test dialplan, one call at a time, on the real server.</summary>
public sealed class CallOutcomeTests
{
    [RealAsteriskTheory]
    [MemberData(nameof(Scenarios.Outcomes), MemberType = typeof(Scenarios))]
    public async Task Outcome_of_each_destination_is_reported(string destination, int timeoutSeconds, CallOutcome outcome)
    {
        await using var client = await RealAsterisk.ConnectAsync();
        using var manager = new CallManager(client);

        var timeout = timeoutSeconds == 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(timeoutSeconds);
        var states = await CallRecorder.RunAsync(manager, Scenarios.Request(destination, timeout));

        var terminal = states[^1];
        Assert.True(terminal.IsTerminal, CallRecorder.Describe(states));
        Assert.Single(states, s => s.IsTerminal);
        Assert.True(outcome == terminal.Outcome, $"{destination}: expected {outcome}, got {CallRecorder.Describe(states)}");
        Assert.Equal(0, manager.TrackedCalls.Count);
    }
}
