using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// What the fold keeps per live call on a real server's traffic. Each object a live call keeps
/// is one more for every young collection to find and promote (docs/performance.md measures what
/// that costs); these pin down the count, so an extra string or array per call shows here
/// rather than only as a slower benchmark.
/// </summary>
public class CallTrackerFootprintTests
{
    [Fact]
    public void A_live_call_keeps_at_most_one_id_string_per_channel_and_one_channel_array()
    {
        var (tracker, calls, channels) = FoldToPeak();
        Assert.True(calls >= 100, $"Only {calls} calls live at the peak.");

        var counts = ObjectGraph.CountByType(tracker);
        var report = string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key.Name} {c.Value}"));

        // The call ids of originated calls are tracking values, not channel ids; a few strings
        // more are shared by every call (dial statuses, a few ids the fold remembers for a while).
        Assert.True(counts.GetValueOrDefault(typeof(string)) <= channels + calls + 16, $"{calls} calls, {channels} channels: {report}");
        Assert.True(counts.GetValueOrDefault(typeof(string[])) <= calls + 8, $"{calls} calls, {channels} channels: {report}");
    }

    [Fact]
    public void Live_calls_keep_their_channel_ids_in_their_records_and_no_list_of_them()
    {
        var (tracker, calls, channels) = FoldToPeak();
        Assert.True(channels >= 100, $"Only {channels} channels live at the peak.");

        var counts = ObjectGraph.CountByType(tracker);

        // The lists states carry are made from the records' ids; the fold keeps only the last one
        // it made and those of its last step's updates (a list kept per call would be a young
        // object in an old record each time the call's channels change).
        Assert.True(counts.GetValueOrDefault(typeof(ChannelIdList)) <= 4, $"{counts.GetValueOrDefault(typeof(ChannelIdList))} channel lists for {calls} calls");
    }

    /// <summary>Folds the 300-call capture up to the event after which the most calls are live.</summary>
    private static (CallTracker Tracker, int Calls, int Channels) FoldToPeak()
    {
        var events = Capture.Read("concurrent_mixed").OfType<AmiEvent>().ToList();
        var peakAt = 0;
        var peak = 0;
        var probe = NewFold().Tracker;
        for (var i = 0; i < events.Count; i++)
        {
            probe.Apply(events[i], FoldHarness.Start);
            if (probe.CallCount > peak)
            {
                (peak, peakAt) = (probe.CallCount, i);
            }
        }

        var fold = NewFold();
        var channels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events.Take(peakAt + 1))
        {
            fold.Feed(e);
            if (e.Name == "Newchannel")
            {
                channels.Add(e["Uniqueid"]!);
            }
            else if (e.Name == "Hangup")
            {
                channels.Remove(e["Uniqueid"]!);
            }
        }

        return (fold.Tracker, fold.Tracker.CallCount, channels.Count);
    }

    /// <summary>The fold as <c>TrackCalls</c> runs it on the capture: its calls adopted, incoming calls tracked.</summary>
    private static FoldHarness NewFold() => new(adoptUnknown: true, trackIncoming: true, trackingVariable: "X_TRACK");
}
