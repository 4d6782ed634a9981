using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>Server text that the call layer logs is escaped and cut, as the client's is.</summary>
public sealed class CallLogTextTests
{
    [Fact]
    public void Hostile_ids_from_the_server_reach_the_log_escaped_and_cut()
    {
        var hostile = "\u001b]0;pwned\u0007\u0008\u009b2J" + new string('x', 60_000);
        using var connection = new FakeAmiConnection();
        var logger = new ListLogger();
        using var manager = new CallManager(connection, new CallManagerOptions { ObserverThreading = CallObserverThreading.Inline, UseChannelId = ChannelIdMode.Never, TrackingVariable = "X_TRACK" }, new TestScheduler(), logger);

        connection.Push(OriginateResponse(hostile, true, 4));
        connection.Push(Hangup(hostile, 16));
        connection.Push(VarSet(hostile, "X_TRACK", hostile));
        connection.Push(AmiEvent.Create("LocalBridge", ("Privilege", "call,all")));

        var messages = logger.Entries.Select(e => e.Message).ToList();
        Assert.True(messages.Count >= 3, string.Join("\n", messages));
        Assert.All(messages, m =>
        {
            Assert.DoesNotContain(m, c => char.IsControl(c));
            Assert.True(m.Length < 2_000, $"a log line of {m.Length} characters");
        });
        Assert.Contains(messages, m => m.Contains("\\x1B]0;pwned", StringComparison.Ordinal));
    }
}
