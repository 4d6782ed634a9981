using System.Reactive.Linq;
using System.Text.RegularExpressions;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class CallManagerTests : ReactiveTest
{
    private const string Var = "X_TEST";

    private static readonly OriginateRequest Request = new() { Channel = "Local/100@default", Context = "default", Exten = "100" };

    private static CallManagerOptions Options(ChannelIdMode channelIds = ChannelIdMode.Never) => new()
    {
        ObserverThreading = CallObserverThreading.Inline,
        TrackingVariable = Var,
        UseChannelId = channelIds,
        ResponseTimeout = TimeSpan.FromTicks(500),
        BindTimeoutMargin = TimeSpan.FromTicks(100),
        OriginateResponseGrace = TimeSpan.FromTicks(50),
        DefaultOriginateTimeout = TimeSpan.FromTicks(1000),
    };

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    [Fact]
    public void Tracking_variable_is_unique_per_manager_and_a_valid_variable_name()
    {
        using var connection = new FakeAmiConnection();
        using var first = new CallManager(connection, FakeAmiConnection.InlineOptions);
        using var second = new CallManager(connection, FakeAmiConnection.InlineOptions);

        Assert.Matches(new Regex("^X_[0-9A-F]{12}$"), first.TrackingVariable);
        Assert.Matches(new Regex("^[A-Z][_A-Z0-9]*$"), second.TrackingVariable);
        Assert.NotEqual(first.TrackingVariable, second.TrackingVariable);
    }

    [Fact]
    public void Invalid_tracking_variable_in_the_options_is_refused()
    {
        using var connection = new FakeAmiConnection();

        Assert.Throws<ArgumentException>(() => new CallManager(connection, new CallManagerOptions { ObserverThreading = CallObserverThreading.Inline, TrackingVariable = "x-track" }));
    }

    [Fact]
    public void Call_ids_are_sequential()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        using var a = manager.Originate(Request).Subscribe();
        using var b = manager.Originate(Request).Subscribe();
        using var c = manager.Originate(Request).Subscribe();

        Assert.Equal(["1", "2", "3"], connection.Sent.Select(s => s[
            "Variable"]!.Split('=')[1]));
        Assert.Equal(3, connection.Sent.Select(s => s.ActionId).Distinct().Count());
    }

    [Fact]
    public void Originate_carries_the_tracking_variable_and_the_request()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var request = Request with { CallerId = "\"Sales\" <100>", Timeout = TimeSpan.FromSeconds(20), Variables = new Dictionary<string, string> { ["FOO"] = "bar" } };

        using var subscription = manager.Originate(request).Subscribe();

        var action = connection.LastSent;
        Assert.Equal("Originate", action.Name);
        Assert.Equal(
            ["Channel: Local/100@default", "Context: default", "Exten: 100", "Priority: 1", "Timeout: 20000", "CallerID: \"Sales\" <100>", "Async: true", "Variable: X_TEST=1", "Variable: FOO=bar"],
            action.Headers.Select(h => h.ToString()));
    }

    [Theory]
    [InlineData(ChannelIdMode.Auto, "11.0.0", true)]
    [InlineData(ChannelIdMode.Auto, "1.4", false)]
    [InlineData(ChannelIdMode.Always, "1.4", true)]
    [InlineData(ChannelIdMode.Never, "11.0.0", false)]
    public void Originate_chooses_channel_ids_when_the_server_supports_them(ChannelIdMode mode, string amiVersion, bool expected)
    {
        using var connection = new FakeAmiConnection { Banner = new AmiBanner("Asterisk Call Manager", amiVersion) };
        using var manager = new CallManager(connection, Options(mode), new TestScheduler());

        using var subscription = manager.Originate(Request).Subscribe();

        var channelId = connection.LastSent["ChannelId"];
        Assert.Equal(expected, channelId is not null);
        if (expected)
        {
            var otherChannelId = connection.LastSent["OtherChannelId"]!;
            Assert.Equal(channelId!.Length, otherChannelId.Length);
            Assert.NotEqual(channelId, otherChannelId, StringComparer.OrdinalIgnoreCase);
            Assert.StartsWith("obelus-", channelId, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Invalid_request_is_refused_before_anything_is_sent()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());

        Assert.Throws<ArgumentException>(() => manager.Originate(Request with { CallerId = "x\r\nAction: Command" }));
        Assert.Throws<ArgumentException>(() => manager.Originate(Request with { Application = "Wait" }));
        Assert.Throws<ArgumentException>(() => manager.Originate(new OriginateRequest { Channel = "nochannel", Application = "Wait" }));
        Assert.Throws<ArgumentException>(() => manager.Originate(Request with { Variables = new Dictionary<string, string> { [Var] = "1" } }));
        Assert.Throws<ArgumentException>(() => manager.Originate(Request with { ExtraHeaders = [new("ActionID", "x")] }));
        Assert.Empty(connection.Sent);
    }

    [Fact]
    public void Each_subscription_to_one_Originate_sequence_originates_a_new_call()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), new TestScheduler());
        var originate = manager.Originate(Request);
        Assert.Empty(connection.Sent);

        using var first = originate.Subscribe();
        using var second = originate.Subscribe();

        Assert.Equal(2, connection.Sent.Count);
        Assert.Equal(["X_TEST=1", "X_TEST=2"], connection.Sent.Select(a => a["Variable"]));
    }

    [Theory]
    [InlineData("Priority")]
    [InlineData("Timeout")]
    [InlineData("Data")]
    [InlineData("NoTarget")]
    [InlineData("ExtraVariableHeader")]
    [InlineData("VariableWithEquals")]
    public void Request_validation_names_the_problem(string problem)
    {
        var request = problem switch
        {
            "Priority" => Request with { Priority = 0 },
            "Timeout" => Request with { Timeout = TimeSpan.Zero },
            "Data" => Request with { Data = "10" },
            "NoTarget" => new OriginateRequest { Channel = "Local/100@default" },
            "ExtraVariableHeader" => Request with { ExtraHeaders = [new("Variable", "A=1")] },
            _ => Request with { Variables = new Dictionary<string, string> { ["A=B"] = "1" } },
        };

        var error = Assert.Throws<ArgumentException>(request.Validate);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("ResponseTimeout")]
    [InlineData("BindTimeoutMargin")]
    [InlineData("OriginateResponseGrace")]
    [InlineData("DefaultOriginateTimeout")]
    public void Options_out_of_range_are_refused(string option)
    {
        var options = option switch
        {
            "ResponseTimeout" => new CallManagerOptions { ResponseTimeout = TimeSpan.Zero },
            "BindTimeoutMargin" => new CallManagerOptions { BindTimeoutMargin = TimeSpan.FromSeconds(-1) },
            "OriginateResponseGrace" => new CallManagerOptions { OriginateResponseGrace = TimeSpan.FromSeconds(-1) },
            _ => new CallManagerOptions { DefaultOriginateTimeout = TimeSpan.Zero },
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Answered_call_goes_queued_state_changed_ended_and_completes()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        string ActionId() => connection.LastSent.ActionId!;
        scheduler.At(300, () => connection.Respond(ActionId(), Queued(ActionId())));
        scheduler.At(400, () => connection.Push(VarSet("u1", Var, "1")));
        scheduler.At(500, () => connection.Push(Newstate("u1", 6)));
        scheduler.At(600, () => connection.Push(OriginateResponse(ActionId(), true, 4, "u1")));
        scheduler.At(700, () => connection.Push(Hangup("u1", 16)));

        var observer = scheduler.Start(() => manager.Originate(Request), created: 100, subscribed: 200, disposed: 10_000);

        var queued = new CallState { CallId = "1", Direction = CallDirection.Outgoing, Change = CallChange.Queued, Timestamp = At(300), ActionId = ActionId() };
        observer.Messages.AssertEqual(
            OnNext(300, queued),
            OnNext(500, queued with { Change = CallChange.StateChanged, ChannelState = ChannelState.Up, UniqueIds = ["u1"], Timestamp = At(500) }),
            OnNext(700, queued with { Change = CallChange.Ended, ChannelState = ChannelState.Up, HangupCause = HangupCause.NormalClearing, Outcome = CallOutcome.Answered, Timestamp = At(700) }),
            OnCompleted<CallState>(700));
        Assert.Equal(0, manager.RetainedEntries);
    }

    [Fact]
    public void Changes_that_overtake_the_response_follow_Queued_in_their_order()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        scheduler.At(250, () => connection.Push(VarSet("u1", Var, "1")));
        scheduler.At(260, () => connection.Push(Newstate("u1", 5)));
        scheduler.At(300, () => connection.Respond(connection.LastSent.ActionId!, Queued(connection.LastSent.ActionId!)));
        scheduler.At(400, () => connection.Push(Newstate("u1", 6)));

        var observer = scheduler.Start(() => manager.Originate(Request), created: 100, subscribed: 200, disposed: 10_000);

        // Queued carries the time of the first change: the server had accepted the call by then.
        var queued = new CallState { CallId = "1", Direction = CallDirection.Outgoing, Change = CallChange.Queued, ChannelState = ChannelState.Ringing, UniqueIds = ["u1"], Timestamp = At(260), ActionId = connection.LastSent.ActionId };
        observer.Messages.AssertEqual(
            OnNext(300, queued),
            OnNext(300, queued with { Change = CallChange.StateChanged }),
            OnNext(400, queued with { Change = CallChange.StateChanged, ChannelState = ChannelState.Up, Timestamp = At(400) }));
    }

    [Fact]
    public void Error_response_fails_the_call_with_the_message_and_completes()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        scheduler.At(300, () => connection.Respond(connection.LastSent.ActionId!, Error(connection.LastSent.ActionId!, "Originate failed")));

        var observer = scheduler.Start(() => manager.Originate(Request with { Async = false }), created: 100, subscribed: 200, disposed: 10_000);

        observer.Messages.AssertEqual(
            OnNext(300, new CallState { CallId = "1", Direction = CallDirection.Outgoing, Change = CallChange.Failed, Failure = new CallFailure("Originate failed"), Outcome = CallOutcome.Failed, Timestamp = At(300), ActionId = connection.LastSent.ActionId }),
            OnCompleted<CallState>(300));
    }

    [Fact]
    public void Response_that_never_comes_fails_the_call_after_the_response_timeout()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);

        var observer = scheduler.Start(() => manager.Originate(Request), created: 100, subscribed: 200, disposed: 10_000);

        Assert.Equal([700], observer.Messages.Where(m => m.Value.Kind == System.Reactive.NotificationKind.OnNext).Select(m => m.Time));
        Assert.Equal(CallChange.Failed, observer.Messages[0].Value.Value.Change);
        Assert.Equal(System.Reactive.NotificationKind.OnCompleted, observer.Messages[1].Value.Kind);
    }

    [Fact]
    public void Accepted_call_never_bound_fails_after_its_timeout_plus_the_margin()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        scheduler.At(300, () => connection.Respond(connection.LastSent.ActionId!, Queued(connection.LastSent.ActionId!)));

        var observer = scheduler.Start(() => manager.Originate(Request with { Timeout = TimeSpan.FromTicks(2000) }), created: 100, subscribed: 200, disposed: 10_000);

        Assert.Equal([300L, 2400L, 2400L], observer.Messages.Select(m => m.Time));
        Assert.Equal([CallChange.Queued, CallChange.Failed], observer.Messages.Take(2).Select(m => m.Value.Value.Change));
    }

    [Fact]
    public void Last_hangup_before_the_OriginateResponse_ends_the_call_after_the_grace()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, Options(), scheduler);
        scheduler.At(300, () => connection.Respond(connection.LastSent.ActionId!, Queued(connection.LastSent.ActionId!)));
        scheduler.At(400, () => connection.Push(VarSet("u1", Var, "1")));
        scheduler.At(500, () => connection.Push(Hangup("u1", 0)));

        var observer = scheduler.Start(() => manager.Originate(Request), created: 100, subscribed: 200, disposed: 10_000);

        Assert.Equal([300L, 550L, 550L], observer.Messages.Select(m => m.Time));
        Assert.Equal(CallOutcome.Failed, observer.Messages[1].Value.Value.Outcome);
    }
}
