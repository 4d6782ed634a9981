using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;
using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>
/// Exten 800 dials the server itself over IAX2 into <c>[incoming]</c>: a real IAX2 channel that
/// starts its own Linkedid, the one kind of incoming call this server can make.
/// </summary>
public sealed class IncomingCallTests
{
    [RealAsteriskFact]
    public async Task A_call_over_iax2_comes_back_as_exactly_one_incoming_call()
    {
        await using var client = await RealAsterisk.ConnectAsync();
        using var manager = new CallManager(client);
        var incoming = new ConcurrentBag<Call>();
        var incomingEnded = manager.IncomingCalls
            .Do(incoming.Add)
            .SelectMany(call => call.States.LastAsync())
            .FirstAsync()
            .Timeout(CallRecorder.SafetyTimeout)
            .ToTask();

        var outgoing = await CallRecorder.RunAsync(manager, Scenarios.Request("Local/800@default"));
        var end = await incomingEnded;

        Assert.Equal(CallOutcome.Answered, outgoing[^1].Outcome);
        var call = Assert.Single(incoming);
        Assert.Equal(CallDirection.Incoming, call.Direction);
        Assert.StartsWith("IAX2/", call.Channel, StringComparison.Ordinal);
        Assert.Equal("4569", call.CallerIdNumber);
        Assert.Equal(CallOutcome.Answered, end.Outcome);
        Assert.DoesNotContain(outgoing.SelectMany(s => s.UniqueIds), id => end.UniqueIds.Contains(id));
    }

    [RealAsteriskFact]
    public async Task Concurrent_iax2_calls_are_counted_exactly()
    {
        const int calls = 12;
        await using var client = await RealAsterisk.ConnectAsync();
        using var manager = new CallManager(client);
        var incoming = new ConcurrentDictionary<string, CallState>();
        var allEnded = manager.IncomingCalls
            .SelectMany(call => call.States.LastAsync())
            .Do(end => incoming[end.CallId] = end)
            .Take(calls)
            .Timeout(CallRecorder.SafetyTimeout)
            .ToList()
            .ToTask();

        var outgoing = await CallRecorder.RunAllAsync(manager, Enumerable.Range(0, calls).Select(_ => Scenarios.Request("Local/800@default")));
        await allEnded;

        Assert.All(outgoing, states => Assert.Equal(CallOutcome.Answered, states[^1].Outcome));
        Assert.Equal(calls, incoming.Count);
        Assert.All(incoming.Values, end => Assert.Equal(CallOutcome.Answered, end.Outcome));
    }
}
