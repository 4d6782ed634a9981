using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// Every real capture through the fold. The expected sequences were worked out by reading each
/// capture by hand (see the comments); the fold must produce exactly them.
/// </summary>
public class CaptureReplayTests
{
    private static readonly string[] Answered =
    [
        "Queued ids=0",                                             // Response: Success, before any channel
        "DialingStarted ids=2",                                     // DialBegin DestUniqueid ;1 (both halves bound by then)
        "StateChanged state=6 ids=2",                               // Newstate ;2 Up (the ;1 Up that follows is the same number)
        "DialingFinished state=6 dial=ANSWER ids=2",                // DialEnd ANSWER
        "Ended state=6 dial=ANSWER cause=16 outcome=Answered ids=0", // Hangup ;1 and ;2, Cause 16, after OriginateResponse Reason 4
    ];

    public static TheoryData<string> AnsweredCaptures => ["originate_answered", "originate_sync_answered", "filters", "list_actions", "channelid_answered"];

    [Theory]
    [MemberData(nameof(AnsweredCaptures))]
    public void Answered_captures_give_queued_dialing_up_answer_ended(string capture)
    {
        var fold = CaptureReplay.Run(capture);

        Assert.Equal(Answered, fold.States.Select(Capture.Render));
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void Busy_capture_ends_busy_with_cause_17_and_the_originate_reason()
    {
        var fold = CaptureReplay.Run("originate_busy");

        Assert.Equal(
            [
                "Queued ids=0",
                "DialingStarted ids=2",                                        // DialBegin (OriginateResponse Failure/5 comes next: bound, so no failure yet)
                "StateChanged state=7 ids=2",                                  // Newstate ;2 Busy
                "DialingFinished state=7 dial=BUSY ids=2",                     // DialEnd BUSY
                "Ended state=7 dial=BUSY cause=17 outcome=Busy failure=5 ids=0", // ;1 Cause 0, then ;2 SoftHangupRequest 16, Hangup 17
            ],
            fold.States.Select(Capture.Render));
    }

    [Fact]
    public void Bad_extension_capture_waits_for_the_late_OriginateResponse_and_ends_failed()
    {
        var fold = CaptureReplay.Run("originate_bad_extension");

        // Both halves bound by VarSet, both hang up with Cause 0, THEN OriginateResponse Failure/0.
        Assert.Equal(["Queued ids=0", "Ended cause=0 outcome=Failed failure=0 ids=0"], fold.States.Select(Capture.Render));
        var ended = fold.States.Last();
        Assert.Equal("Unknown", ended.HangupCauseText);
        Assert.Equal(FoldHarness.Start.AddSeconds(CountUntilOriginateResponse("originate_bad_extension")), ended.Timestamp);
    }

    [Fact]
    public void Synchronous_failure_capture_fails_with_the_error_message()
    {
        var fold = CaptureReplay.Run("originate_sync_failure");

        Assert.Equal(["Failed outcome=Failed failure=Originate failed ids=0"], fold.States.Select(Capture.Render));
    }

    [Fact]
    public void Incoming_iax2_capture_gives_one_incoming_call_and_keeps_the_dialed_trunk_as_a_leg()
    {
        var fold = CaptureReplay.Run("incoming_iax2");

        Assert.Equal(
            [
                "Queued ids=0",
                "DialingStarted ids=2",                                        // originate's own DialBegin (Dest ;1)
                "StateChanged state=5 ids=3",                                  // outgoing IAX2 leg (Linkedid of ;1) Ringing
                "DialingStarted state=5 ids=3",                                // ;2 dials the IAX2 leg
                "StateChanged state=6 ids=3",                                  // IAX2 leg Up
                "DialingFinished state=6 dial=ANSWER ids=3",                   // ;2 -> IAX2 ANSWER
                "DialingFinished state=6 dial=ANSWER ids=3",                   // originate's DialEnd ANSWER
                "Ended state=6 dial=ANSWER cause=16 outcome=Answered ids=0",   // ;2, IAX2 leg, ;1 hang up (16)
            ],
            fold.StatesOf("iax1").Select(Capture.Render));
        var incoming = Assert.Single(fold.Updates, u => u.IsNew);
        Assert.Equal(CallDirection.Incoming, incoming.Direction);
        Assert.Equal("IAX2/127.0.0.1:4569-9397", incoming.Origin!["Channel"]);
        Assert.Equal(
            ["StateChanged state=6 ids=1", "Ended state=6 cause=16 outcome=Answered ids=0"],   // first Newstate is Up; hangs up first
            fold.StatesOf(incoming.CallId).Select(Capture.Render));
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void Limited_user_capture_without_VarSet_is_bound_by_its_OriginateResponse()
    {
        var fold = CaptureReplay.Run("limited_user");

        Assert.Equal(
            [
                "Queued ids=0",
                "StateChanged state=6 dial=ANSWER ids=2",                     // OriginateResponse names ;1: it and its Linkedid leg ;2 join, Up and ANSWER seen before
                "Ended state=6 dial=ANSWER cause=16 outcome=Answered ids=0",
            ],
            fold.States.Select(Capture.Render));
        Assert.Equal(["1795682197.116", "1795682197.117"], fold.States.ElementAt(1).UniqueIds);
    }

    [Fact]
    public void Limited_user_capture_with_chosen_channel_ids_is_bound_from_the_first_event()
    {
        // What the same run gives when the Originate carries ChannelId/OtherChannelId: Asterisk
        // uses them as the Uniqueids, and ChannelId as the Linkedid of both halves (channelid_answered).
        var originate = new CapturedOriginate("lim1", "limited_user-5", ChannelId: "obelus-ch-L", OtherChannelId: "obelus-ch-L-2");
        var messages = Capture.Read("limited_user", text => text
            .Replace("1795682197.116", "obelus-ch-L", StringComparison.Ordinal)
            .Replace("1795682197.117", "obelus-ch-L-2", StringComparison.Ordinal));

        var fold = CaptureReplay.Run(messages, originate);

        Assert.Equal(
            [
                "Queued ids=0",
                "DialingStarted ids=2",
                "StateChanged state=6 ids=2",
                "DialingFinished state=6 dial=ANSWER ids=2",
                "Ended state=6 dial=ANSWER cause=16 outcome=Answered ids=0",
            ],
            fold.States.Select(Capture.Render));
    }

    [Fact]
    public void Capture_cut_off_mid_call_ends_the_call_as_lost()
    {
        var fold = CaptureReplay.Run("status_resync_a");

        Assert.Equal(
            [
                "Queued ids=0",
                "DialingStarted ids=2",
                "StateChanged state=6 ids=2",                                 // OriginateResponse came before the Newstates here
                "DialingFinished state=6 dial=ANSWER ids=2",
                "Ended state=6 dial=ANSWER outcome=Lost failure=capture ended ids=2",
            ],
            fold.States.Select(Capture.Render));
        Assert.Equal(["obelus-ch-0005", "obelus-ch-0005-2"], fold.States.Last().UniqueIds);
    }

    [Theory]
    [InlineData("status_resync_b")]
    [InlineData("banner")]
    [InlineData("login_md5")]
    [InlineData("login_failure")]
    public void Captures_without_new_calls_give_no_call_states(string capture)
    {
        // status_resync_b: channels that existed before login (Status lists, Hangups) are neither ours nor incoming.
        var fold = CaptureReplay.Run(capture);

        Assert.Empty(fold.Updates);
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    [Fact]
    public void Every_capture_is_covered_by_a_replay_test()
    {
        var names = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Traces"), "*.in.ami")
            .Select(p => Path.GetFileName(p)[..^".in.ami".Length]);

        Assert.All(names, name => Assert.True(CaptureReplay.Originates.ContainsKey(name), name + " has no replay entry"));
    }

    private static int CountUntilOriginateResponse(string capture) =>
        Capture.Read(capture).FindIndex(m => m is AmiEvent e && e.Is("OriginateResponse")) + 1;
}
