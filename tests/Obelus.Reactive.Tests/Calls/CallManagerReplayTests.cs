using System.Reactive;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>Real captures end to end through a <see cref="CallManager"/> over a fake connection.</summary>
public class CallManagerReplayTests : ReactiveTest
{
    [Theory]
    [InlineData("channelid_answered", "ci1", "obelus-ch-0001", ChannelIdMode.Always)]
    [InlineData("originate_answered", "t1", null, ChannelIdMode.Never)]
    [InlineData("filters", "f1", null, ChannelIdMode.Never)]
    public void Answered_capture_through_the_manager_gives_the_answered_sequence_and_completes(string capture, string trackValue, string? recordedChannelId, ChannelIdMode mode)
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, new CallManagerOptions { ObserverThreading = CallObserverThreading.Inline, TrackingVariable = "X_TRACK", UseChannelId = mode }, scheduler);
        var observer = scheduler.CreateObserver<CallState>();
        using var subscription = manager.Originate(new OriginateRequest { Channel = "Local/100@default", Context = "default", Exten = "100" }).Subscribe(observer);
        var sent = connection.LastSent;
        var recordedActionId = CaptureReplay.Originates[capture]!.ActionId;

        // The capture, with the recorder's ids replaced by the ones this manager chose.
        var messages = Capture.Read(capture, text =>
        {
            text = text.Replace("ActionID: " + recordedActionId + "\r\n", "ActionID: " + sent.ActionId + "\r\n", StringComparison.Ordinal)
                .Replace("Value: " + trackValue + "\r\n", "Value: 1\r\n", StringComparison.Ordinal);
            return recordedChannelId is null ? text : text.Replace(recordedChannelId, sent["ChannelId"]!, StringComparison.Ordinal);
        });
        var time = 100L;
        foreach (var message in messages)
        {
            time += 10;
            scheduler.AdvanceTo(time);
            if (message is AmiEvent amiEvent)
            {
                connection.Push(amiEvent);
            }
            else if (message.ActionId == sent.ActionId)
            {
                connection.Respond(sent.ActionId!, (AmiResponse)message);
            }
        }

        var rendered = observer.Messages.Where(m => m.Value.Kind == NotificationKind.OnNext).Select(m => Capture.Render(m.Value.Value));
        Assert.Equal(
            ["Queued ids=0", "DialingStarted ids=2", "StateChanged state=6 ids=2", "DialingFinished state=6 dial=ANSWER ids=2", "Ended state=6 dial=ANSWER cause=16 outcome=Answered ids=0"],
            rendered);
        Assert.Equal(NotificationKind.OnCompleted, observer.Messages[^1].Value.Kind);
        Assert.Equal(observer.Messages[^2].Time, observer.Messages[^1].Time);
        Assert.Equal(0, manager.RetainedEntries);
    }
}
