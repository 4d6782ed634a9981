using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class FoldEventTests
{
    [Theory]
    [InlineData("Newchannel", nameof(FoldEvent.Newchannel))]
    [InlineData("Newstate", nameof(FoldEvent.Newstate))]
    [InlineData("VarSet", nameof(FoldEvent.VarSet))]
    [InlineData("Hangup", nameof(FoldEvent.Hangup))]
    [InlineData("HangupRequest", nameof(FoldEvent.HangupRequest))]
    [InlineData("SoftHangupRequest", nameof(FoldEvent.HangupRequest))]
    [InlineData("DialBegin", nameof(FoldEvent.DialBegin))]
    [InlineData("DialEnd", nameof(FoldEvent.DialEnd))]
    [InlineData("Dial", nameof(FoldEvent.LegacyDial))]
    [InlineData("LocalBridge", nameof(FoldEvent.LocalBridge))]
    [InlineData("OriginateResponse", nameof(FoldEvent.OriginateResponse))]
    [InlineData("NEWSTATE", nameof(FoldEvent.Newstate))]
    [InlineData("originateresponse", nameof(FoldEvent.OriginateResponse))]
    [InlineData("Newexten", nameof(FoldEvent.None))]
    [InlineData("DialState", nameof(FoldEvent.None))]
    [InlineData("HangupHandlerRun", nameof(FoldEvent.None))]
    [InlineData("Hangups", nameof(FoldEvent.None))]
    [InlineData("", nameof(FoldEvent.None))]
    public void Event_names_are_classified_ignoring_case(string name, string expected) =>
        Assert.Equal(Enum.Parse<FoldEvent>(expected), FoldEvents.Classify(System.Text.Encoding.ASCII.GetBytes(name)));

    [Fact]
    public void An_incoming_call_whose_event_names_differ_in_case_is_still_followed_to_its_end()
    {
        var fold = new FoldHarness();

        fold.Feed(
            Renamed(Newchannel("s1", "SIP/alice-00000001", "s1", state: 0), "NEWCHANNEL"),
            Renamed(Newstate("s1", 4, "s1"), "newstate"),
            Renamed(Hangup("s1", 16), "HANGUP"));

        Assert.Equal([CallChange.StateChanged, CallChange.Ended], fold.States.Select(s => s.Change));
        Assert.Equal(0, fold.Tracker.RetainedEntries);
    }

    private static AmiEvent Renamed(AmiEvent e, string name) =>
        AmiEvent.Create(name, e.Skip(1).Select(h => (h.Name, h.Value)));
}
