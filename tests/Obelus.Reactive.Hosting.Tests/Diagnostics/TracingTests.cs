using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Hosting.Diagnostics.ObelusAmiTelemetry;

namespace Obelus.Reactive.Hosting.Tests.Diagnostics;

public class TracingTests
{
    private static string UniqueName() => "trace" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task An_originate_is_one_activity_from_request_to_outcome_with_its_action_as_a_child()
    {
        var name = UniqueName();
        using var traces = new ActivityRecorder(name);
        await using var host = await SimulatedHost.StartAsync(name: name);
        var outside = Activity.Current;

        var handled = host.WaitForAction("Originate");   // its steps are scheduled: the clock may move
        var states = host.Connection.Originate(new OriginateRequest { Channel = "Local/100@default", Context = "default", Exten = "100" }).Replay();
        using var running = states.Connect();
        Assert.Same(outside, Activity.Current);   // the call's activity does not leak into the caller
        await states.FirstAsync(s => s.Change == CallChange.Queued).ToTask().WaitAsync(SimulatedHost.Timeout);
        await handled;
        host.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(500).Ticks);
        await states.FirstAsync(s => s.ChannelState == ChannelState.Up).ToTask().WaitAsync(SimulatedHost.Timeout);
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(30).Ticks);
        var end = await states.LastAsync().ToTask().WaitAsync(SimulatedHost.Timeout);

        var call = Assert.Single(traces.Stopped, a => a.OperationName == "AMI Originate call");
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(ActivityStatusCode.Ok, call.Status);
        Assert.Equal(end.CallId, call.GetTagItem(CallIdTag));
        Assert.Equal("answered", call.GetTagItem(OutcomeTag));
        Assert.Equal(16, call.GetTagItem(HangupCauseTag));
        Assert.Equal(end.HangupCauseText, call.GetTagItem(HangupCauseTextTag));
        Assert.Equal("Local/100@default", call.GetTagItem(ChannelTag));
        Assert.Equal("Queued", call.Events.First().Name);
        Assert.Equal("Ended", call.Events.Last().Name);
        var action = Assert.Single(traces.Stopped, a => a.OperationName == "AMI Originate");
        Assert.Equal(call.SpanId, action.ParentSpanId);
        Assert.Equal("Originate", action.GetTagItem(ActionTag));
        Assert.NotNull(action.GetTagItem(ActionIdTag));
        Assert.Equal(ActivityStatusCode.Ok, action.Status);
    }

    [Fact]
    public async Task A_failed_originate_is_an_error_activity_with_the_reason()
    {
        var name = UniqueName();
        using var traces = new ActivityRecorder(name);
        await using var host = await SimulatedHost.StartAsync(name: name);

        var end = await host.Connection.Originate(new OriginateRequest { Channel = "PJSIP/alice", Context = "default", Exten = "100", Async = false })
            .LastAsync().ToTask().WaitAsync(SimulatedHost.Timeout);

        var call = Assert.Single(traces.Stopped, a => a.OperationName == "AMI Originate call");
        Assert.Equal(CallOutcome.Failed, end.Outcome);
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal("failed", call.GetTagItem(OutcomeTag));
        Assert.Equal(end.Failure!.Message, call.GetTagItem(FailureTag));
    }

    [Fact]
    public async Task A_refused_action_is_an_error_activity_naming_the_exception_type()
    {
        var name = UniqueName();
        using var traces = new ActivityRecorder(name);
        await using var host = await SimulatedHost.StartAsync(name: name);

        await Assert.ThrowsAsync<AmiActionException>(() => host.Connection.Connection.SendAsync(new AmiAction("NoSuchAction")).WaitAsync(SimulatedHost.Timeout));

        var action = Assert.Single(traces.Stopped, a => a.OperationName == "AMI NoSuchAction");
        Assert.Equal(ActivityStatusCode.Error, action.Status);
        Assert.Equal(typeof(AmiActionException).FullName, action.GetTagItem(ErrorTypeTag));
        Assert.Equal(("simulator", 5038), (action.GetTagItem(ServerAddressTag), action.GetTagItem(ServerPortTag)));
    }
}
