using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>Our Originate in a capture: the values the recorder used.</summary>
internal sealed record CapturedOriginate(string TrackValue, string ActionId, bool Async = true, string? ChannelId = null, string? OtherChannelId = null);

/// <summary>Feeds a capture to the fold, one message per virtual second, as if it had sent the capture's Originate.</summary>
internal static class CaptureReplay
{
    public const string TrackingVariable = "X_TRACK";

    public static readonly Dictionary<string, CapturedOriginate?> Originates = new()
    {
        ["originate_answered"] = new("t1", "originate_answered-2"),
        ["originate_busy"] = new("t2", "originate_busy-2"),
        ["originate_bad_extension"] = new("t4", "originate_bad_extension-2"),
        ["originate_sync_answered"] = new("sync2", "originate_sync_answered-2", Async: false),
        ["originate_sync_failure"] = new("sync1", "originate_sync_failure-2", Async: false),
        ["incoming_iax2"] = new("iax1", "incoming_iax2-2"),
        ["channelid_answered"] = new("ci1", "channelid_answered-2", ChannelId: "obelus-ch-0001", OtherChannelId: "obelus-ch-0001-2"),
        ["limited_user"] = new("lim1", "limited_user-5"),
        ["filters"] = new("f1", "filters-4"),
        ["list_actions"] = new("list1", "list_actions-2"),
        ["status_resync_a"] = new("r1", "status_resync_a-2", ChannelId: "obelus-ch-0005", OtherChannelId: "obelus-ch-0005-2"),
        ["status_resync_b"] = null,
        ["banner"] = null,
        ["login_md5"] = null,
        ["login_failure"] = null,
    };

    /// <summary>Replays <paramref name="messages"/>; when the capture ends, live calls are lost ("capture ended").</summary>
    public static FoldHarness Run(IReadOnlyList<AmiMessage> messages, CapturedOriginate? originate)
    {
        var fold = new FoldHarness(trackingVariable: TrackingVariable);
        var serial = originate is null ? 0 : fold.Originate(originate.TrackValue, originate.Async, originate.ChannelId, originate.OtherChannelId, originate.ActionId);
        foreach (var message in messages)
        {
            fold.Now = fold.Now.AddSeconds(1);
            if (message is AmiEvent amiEvent)
            {
                fold.Feed(amiEvent);
            }
            else if (message is AmiResponse response && originate is not null && response.ActionId == originate.ActionId)
            {
                fold.Respond(serial, response);
            }
        }

        fold.Now = fold.Now.AddSeconds(1);
        fold.LoseConnection("capture ended");
        return fold;
    }

    public static FoldHarness Run(string capture, Func<string, string>? rewrite = null) =>
        Run(Capture.Read(capture, rewrite), Originates[capture]);
}
