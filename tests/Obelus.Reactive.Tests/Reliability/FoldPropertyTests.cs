using CsCheck;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Tests.Calls;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>The call fold under generated event sequences: interleaved captures, drops and duplicates.</summary>
public sealed class FoldPropertyTests
{
    private static readonly string[] Captures =
    [
        "originate_answered", "originate_busy", "originate_bad_extension", "originate_sync_answered",
        "channelid_answered", "incoming_iax2", "list_actions", "limited_user", "status_resync_a",
    ];

    private static readonly AmiEvent[][] CaptureEvents = Captures
        .Select(name => Capture.Read(name).OfType<AmiEvent>().ToArray())
        .ToArray();

    /// <summary>Per step: which capture moves next, and whether its event is dropped, kept, or doubled.</summary>
    private static readonly Gen<(int Capture, int Fate)[]> Steps =
        Gen.Select(Gen.Int[0, Captures.Length - 1], Gen.Frequency((1, Gen.Const(0)), (8, Gen.Const(1)), (1, Gen.Const(2)))).Array[1, 400];

    [Fact]
    public void The_fold_never_throws_never_emits_after_a_terminal_state_and_forgets_ended_calls()
    {
        var casesWithCalls = 0;
        Fuzz.Check(
            Gen.Select(Steps, Gen.Bool),
            input =>
            {
                var (steps, adopt) = input;
                var fold = new FoldHarness(adoptUnknown: adopt, trackIncoming: true, trackingVariable: "X_TRACK");
                var positions = new int[Captures.Length];
                foreach (var (capture, fate) in steps)
                {
                    var events = CaptureEvents[capture];
                    if (positions[capture] >= events.Length)
                    {
                        continue;
                    }

                    var next = events[positions[capture]++];
                    for (var copy = 0; copy < fate; copy++)
                    {
                        fold.Feed(next);
                    }
                }

                AssertNothingAfterTerminal(fold.Updates);
                casesWithCalls += fold.Updates.Count > 0 ? 1 : 0;
                var open = fold.Updates.Select(u => u.Serial).Distinct().Count(s => !fold.Updates.Any(u => u.Serial == s && u.State?.IsTerminal == true));
                Assert.Equal(open, fold.Tracker.CallCount);

                fold.LoseConnection();

                AssertNothingAfterTerminal(fold.Updates);
                Assert.Equal(0, fold.Tracker.CallCount);
                Assert.Equal(0, fold.Tracker.RetainedEntries);
                Assert.All(fold.Updates.GroupBy(u => u.Serial), g => Assert.True(g.Last().State?.IsTerminal, $"call {g.Key} has no terminal state"));
            },
            cases: 600,
            print: input => string.Join(" ", input.Item1.Select(s => $"{s.Capture}:{s.Fate}")));

        // The generated sequences really exercise calls (incoming ones at least), not only noise.
        Assert.True(casesWithCalls > 0, "no generated sequence produced a call");
    }

    private static void AssertNothingAfterTerminal(List<CallUpdate> updates)
    {
        var ended = new HashSet<long>();
        foreach (var update in updates)
        {
            Assert.False(ended.Contains(update.Serial), $"call {update.CallId} got an update after its terminal state");
            if (update.State?.IsTerminal == true)
            {
                ended.Add(update.Serial);
            }
        }
    }
}
