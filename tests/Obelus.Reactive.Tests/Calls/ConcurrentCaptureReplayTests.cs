using System.Globalization;
using Obelus.Reactive.Calls;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The replay of a real capture of 300 concurrent calls (concurrent_mixed): a capture has no
/// timing, so nothing may time out because of how many messages it holds, and every call must
/// come out once, with its outcome.
/// </summary>
public sealed class ConcurrentCaptureReplayTests
{
    private static readonly CallOutcome[] Rotation =
        [CallOutcome.Answered, CallOutcome.Busy, CallOutcome.NoAnswer, CallOutcome.Congestion, CallOutcome.Failed, CallOutcome.Answered];

    [Fact]
    public void Every_call_of_a_300_call_capture_ends_once_with_its_outcome()
    {
        var received = Capture.Read("concurrent_mixed");
        var sent = Capture.ReadSent("concurrent_mixed");

        var states = CallReplay.Replay(received, sent, "X_TRACK");

        var calls = states.GroupBy(s => s.CallId).ToList();
        Assert.Equal(300, calls.Count);
        var wrong = new List<string>();
        foreach (var call in calls)
        {
            var index = int.Parse(call.Key.AsSpan(1), CultureInfo.InvariantCulture) - 1;
            var terminals = call.Count(s => s.IsTerminal);
            var last = call.Last();
            if (terminals != 1 || !last.IsTerminal || last.Outcome != Rotation[index % 6] || last.Failure?.Message == "capture ended")
            {
                wrong.Add($"{call.Key}: {terminals} terminal, {last.Change} {last.Outcome} {last.Failure?.Message}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} calls wrong:\n" + string.Join("\n", wrong.Take(10)));
    }

    [Fact]
    public void A_response_after_many_unrelated_messages_is_not_a_timeout()
    {
        // 2,000 messages of other calls before the Originate's response: 20 s of made-up time.
        var noise = Obelus.Reactive.Testing.AmiEventGenerator.Create(2_000, seed: 5);
        var received = noise.Cast<Obelus.Reactive.Protocol.AmiMessage>().Concat(Capture.Read("originate_answered")).ToList();
        var sent = Capture.ReadSent("originate_answered");

        var states = CallReplay.Replay(received, sent, "X_TRACK").Where(s => s.CallId == "t1").ToList();

        Assert.Single(states, s => s.IsTerminal);
        Assert.Equal((CallChange.Ended, CallOutcome.Answered), (states[^1].Change, states[^1].Outcome));
    }
}
