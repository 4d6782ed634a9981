using Obelus.Reactive.Calls;
using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>
/// A few hundred Originates in flight at once, every outcome mixed, on the real server: under this
/// load Asterisk reorders events (an OriginateResponse before its channel's first event) and checks
/// client-chosen ids against live channels by prefix.
/// </summary>
public sealed class ConcurrentOriginateTests
{
    private const int Calls = 300;

    [RealAsteriskTheory]
    [InlineData(ChannelIdMode.Auto)]
    [InlineData(ChannelIdMode.Always)]
    [InlineData(ChannelIdMode.Never)]
    public async Task Every_concurrent_call_ends_once_with_its_outcome(ChannelIdMode mode)
    {
        await using var client = await RealAsterisk.ConnectAsync();
        using var manager = new CallManager(client, new CallManagerOptions { UseChannelId = mode });

        var mix = Enumerable.Range(0, Calls).Select(Scenarios.Mixed).ToArray();
        var results = await CallRecorder.RunAllAsync(manager, mix.Select(m => m.Request));

        var wrong = new List<string>();
        for (var i = 0; i < Calls; i++)
        {
            var states = results[i];
            var terminals = states.Count(s => s.IsTerminal);
            if (terminals != 1 || !states[^1].IsTerminal || states[^1].Outcome != mix[i].Outcome)
            {
                wrong.Add($"#{i} {mix[i].Request.Channel}: expected {mix[i].Outcome}, got {CallRecorder.Describe(states)}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Calls} calls wrong ({mode}):\n" + string.Join("\n", wrong.Take(20)));
        Assert.Equal(Calls, results.Select(r => r[0].CallId).Distinct().Count());
        Assert.Empty(manager.TrackedCalls);
    }
}
