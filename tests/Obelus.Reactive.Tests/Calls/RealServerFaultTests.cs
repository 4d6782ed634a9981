using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// Faults first seen on a real Asterisk under many concurrent calls, reproduced on the simulator:
/// the whole stack (manager, client, in-memory simulator in virtual time), as a user runs it.
/// </summary>
public sealed class RealServerFaultTests
{
    private static readonly TimeSpan Safety = SimulatorStack.Safety;

    private static OriginateRequest Answered => new() { Channel = "Local/100@default", Context = "default", Exten = "100" };

    [Fact]
    public void Chosen_channel_ids_are_never_prefixes_of_one_another()
    {
        using var connection = new FakeAmiConnection { Banner = new AmiBanner("Asterisk Call Manager", "11.0.0") };
        using var manager = new CallManager(connection, new CallManagerOptions { ObserverThreading = CallObserverThreading.Inline, UseChannelId = ChannelIdMode.Always }, new TestScheduler());

        var ids = new List<string>();
        var subscriptions = new List<IDisposable>();
        for (var i = 0; i < 120; i++)
        {
            subscriptions.Add(manager.Originate(Answered).Subscribe());
            ids.Add(connection.LastSent["ChannelId"]!);
            ids.Add(connection.LastSent["OtherChannelId"]!);
        }

        // Asterisk compares a requested id with live ids over the requested length, ignoring case.
        var clashes = from a in ids
                      from b in ids
                      where !ReferenceEquals(a, b) && b.StartsWith(a, StringComparison.OrdinalIgnoreCase)
                      select a + " / " + b;
        Assert.Empty(clashes);
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Concurrent_originates_with_chosen_ids_all_get_their_channels()
    {
        // Channels are created out of order, as by the server's one thread per Originate.
        var (simulator, clock, client) = await SimulatorStack.StartAsync(clock => new AmiSimulatorOptions { Scheduler = clock, OriginateJitter = TimeSpan.FromMilliseconds(200), Seed = 7 });
        await using var simulatorScope = simulator;
        await using var clientScope = client;
        using var manager = new CallManager(client, new CallManagerOptions { UseChannelId = ChannelIdMode.Always });
        const int calls = 60;
        var handled = simulator.Actions.Where(a => a.Name == "Originate").Take(calls).ToList().ToTask();

        var results = Enumerable.Range(0, calls).Select(_ => manager.Originate(Answered).ToList().ToTask()).ToArray();
        await handled.WaitAsync(Safety);
        clock.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        var states = await Task.WhenAll(results).WaitAsync(Safety);

        var wrong = states.Where(s => s[^1].Outcome != CallOutcome.Answered).Select(s => $"{s[^1].CallId}: {s[^1].Outcome} {s[^1].Failure?.Message}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData(ChannelIdMode.Always)]
    [InlineData(ChannelIdMode.Never)]
    public async Task A_success_response_before_the_first_event_of_its_channel_does_not_end_the_call(ChannelIdMode mode)
    {
        var (simulator, clock, client) = await SimulatorStack.StartAsync();
        await using var simulatorScope = simulator;
        await using var clientScope = client;
        simulator.Faults.OriginateResponseFirst = true;
        using var manager = new CallManager(client, new CallManagerOptions { UseChannelId = mode });
        var handled = simulator.Actions.FirstAsync(a => a.Name == "Originate").ToTask();

        var states = manager.Originate(Answered).ToList().ToTask();
        await handled.WaitAsync(Safety);
        clock.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        var sequence = await states.WaitAsync(Safety);

        Assert.Single(sequence, s => s.IsTerminal);
        Assert.Contains(sequence, s => s.ChannelState == ChannelState.Up && !s.IsTerminal);
        var end = sequence[^1];
        Assert.Equal((CallChange.Ended, CallOutcome.Answered, HangupCause.NormalClearing), (end.Change, end.Outcome, end.HangupCause));
        Assert.Null(end.Failure);
        Assert.Equal(0, manager.RetainedEntries);
    }

    [Theory]
    [InlineData("Local/busy@default", CallOutcome.Busy, HangupCause.UserBusy)]
    [InlineData("Local/congestion@default", CallOutcome.Congestion, HangupCause.NormalCircuitCongestion)]
    [InlineData("Local/noanswer@default", CallOutcome.NoAnswer, HangupCause.NoAnswer)]
    public async Task A_failure_response_before_the_events_of_its_chosen_channels_ends_the_call_as_in_order(string destination, CallOutcome outcome, HangupCause cause)
    {
        var (simulator, clock, client) = await SimulatorStack.StartAsync();
        await using var simulatorScope = simulator;
        await using var clientScope = client;
        simulator.Faults.OriginateResponseFirst = true;
        using var manager = new CallManager(client, new CallManagerOptions { UseChannelId = ChannelIdMode.Always });
        var handled = simulator.Actions.FirstAsync(a => a.Name == "Originate").ToTask();

        var states = manager.Originate(Answered with { Channel = destination, Timeout = TimeSpan.FromSeconds(5) }).ToList().ToTask();
        await handled.WaitAsync(Safety);
        clock.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        var sequence = await states.WaitAsync(Safety);

        Assert.Equal(CallChange.Queued, sequence[0].Change);
        Assert.Single(sequence, s => s.IsTerminal);
        var end = sequence[^1];
        Assert.Equal((CallChange.Ended, outcome, cause), (end.Change, end.Outcome, end.HangupCause));
        Assert.Equal(0, manager.RetainedEntries);
    }

    [Fact]
    public async Task A_comma_in_a_variable_value_sets_no_other_variable()
    {
        var (simulator, clock, client) = await SimulatorStack.StartAsync();
        await using var simulatorScope = simulator;
        await using var clientScope = client;
        using var manager = new CallManager(client, new CallManagerOptions { UseChannelId = ChannelIdMode.Never });
        var variables = new Dictionary<string, string>
        {
            ["NOTE"] = "a," + manager.TrackingVariable + "=999,X=1",
            ["QUOTED"] = "say \"hi\", \\o/",
        };
        var varSets = client.Events
            .TakeUntil(e => e.Is("Hangup"))
            .Where(e => e.Is("VarSet") && e["Channel"]!.EndsWith(";1", StringComparison.Ordinal))
            .Select(e => e["Variable"] + "=" + e["Value"])
            .ToList().ToTask();
        var handled = simulator.Actions.FirstAsync(a => a.Name == "Originate").ToTask();

        var states = manager.Originate(Answered with { Variables = variables }).ToList().ToTask();
        await handled.WaitAsync(Safety);
        clock.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        var sequence = await states.WaitAsync(Safety);

        string[] expected = [manager.TrackingVariable + "=" + sequence[0].CallId, "NOTE=" + variables["NOTE"], "QUOTED=" + variables["QUOTED"]];
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await varSets.WaitAsync(Safety)).Order(StringComparer.Ordinal));
        Assert.Equal(CallOutcome.Answered, sequence[^1].Outcome);
    }
}
