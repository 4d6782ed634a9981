using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// Asterisk sends OriginateResponse, DialEnd, Newstate and Hangup in an order that changes from
/// run to run. Shuffling those events of each capture among their own positions must not change
/// the outcome of our call.
/// </summary>
public class OutcomeOrderTests
{
    private const int SampledOrders = 400;

    public static TheoryData<string, CallOutcome> Captures => new()
    {
        { "originate_answered", CallOutcome.Answered },
        { "originate_busy", CallOutcome.Busy },
        { "originate_bad_extension", CallOutcome.Failed },
        { "originate_sync_answered", CallOutcome.Answered },
        { "channelid_answered", CallOutcome.Answered },
        { "limited_user", CallOutcome.Answered },
        { "filters", CallOutcome.Answered },
        { "list_actions", CallOutcome.Answered },
        { "incoming_iax2", CallOutcome.Answered },
    };

    [Theory]
    [MemberData(nameof(Captures))]
    public void Outcome_is_the_same_whatever_the_order_of_the_deciding_events(string capture, CallOutcome expected)
    {
        var messages = Capture.Read(capture);
        var originate = CaptureReplay.Originates[capture]!;
        var positions = Enumerable.Range(0, messages.Count).Where(i => IsDeciding(messages[i])).ToArray();
        var deciding = positions.Select(i => messages[i]).ToArray();
        var orders = 0;

        foreach (var order in Orders(deciding.Length))
        {
            var shuffled = messages.ToArray();
            for (var k = 0; k < positions.Length; k++)
            {
                shuffled[positions[k]] = deciding[order[k]];
            }

            var fold = CaptureReplay.Run(shuffled, originate);

            var terminal = Assert.Single(fold.StatesOf(originate.TrackValue), s => s.IsTerminal);
            Assert.True(expected == terminal.Outcome, $"{capture}, order [{string.Join(",", order)}]: {terminal.Outcome}");
            Assert.NotEqual("capture ended", terminal.Failure?.Message);
            orders++;
        }

        Assert.True(orders >= Math.Min(SampledOrders, Factorial(deciding.Length)));
    }

    private static bool IsDeciding(AmiMessage message) =>
        message is AmiEvent e && (e.Is("OriginateResponse") || e.Is("DialEnd") || e.Is("Newstate") || e.Is("Hangup"));

    /// <summary>Every permutation when there are few, else the identity, the reverse and a fixed-seed sample.</summary>
    private static IEnumerable<int[]> Orders(int count)
    {
        if (Factorial(count) <= SampledOrders * 20)
        {
            foreach (var permutation in Permutations(Enumerable.Range(0, count).ToArray(), 0))
            {
                yield return permutation;
            }

            yield break;
        }

        yield return Enumerable.Range(0, count).ToArray();
        yield return Enumerable.Range(0, count).Reverse().ToArray();
        var random = new Random(20261126);
        for (var i = 0; i < SampledOrders; i++)
        {
            var order = Enumerable.Range(0, count).ToArray();
            random.Shuffle(order);
            yield return order;
        }
    }

    private static IEnumerable<int[]> Permutations(int[] items, int start)
    {
        if (start == items.Length)
        {
            yield return (int[])items.Clone();
            yield break;
        }

        for (var i = start; i < items.Length; i++)
        {
            (items[start], items[i]) = (items[i], items[start]);
            foreach (var permutation in Permutations(items, start + 1))
            {
                yield return permutation;
            }

            (items[start], items[i]) = (items[i], items[start]);
        }
    }

    private static long Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
}
