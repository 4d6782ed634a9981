using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>One test per row of the outcome table in docs/calls.md.</summary>
public class CallOutcomeTests
{
    private const string Var = FoldHarness.TrackingVariable;

    /// <summary>Runs one Async Originate bound to channel u1 through <paramref name="events"/>, then hangs u1 up.</summary>
    private static CallState Run(int? originateReason, bool originateSuccess, int hangupCause, params AmiEvent[] events)
    {
        var fold = new FoldHarness();
        fold.Queue("1");
        fold.Feed(VarSet("u1", Var, "1"));
        fold.Feed(events);
        if (originateReason is { } reason)
        {
            fold.Feed(OriginateResponse("a-1", originateSuccess, reason, originateSuccess ? "u1" : "<unknown>"));
        }

        fold.Feed(Hangup("u1", hangupCause));
        if (originateReason is null)
        {
            fold.Expire(CallTimerKind.OriginateResponseGrace, 1);
        }

        return Assert.Single(fold.States, s => s.IsTerminal);
    }

    [Fact]
    public void A_channel_reaching_Up_is_answered_even_with_a_busy_cause()
    {
        Assert.Equal(CallOutcome.Answered, Run(null, false, 17, Newstate("u1", 6)).Outcome);
    }

    [Fact]
    public void Dial_status_ANSWER_is_answered() =>
        Assert.Equal(CallOutcome.Answered, Run(null, false, 16, DialEnd(AmiDialect.Modern, "u1", "x", "ANSWER")).Outcome);

    [Fact]
    public void Originate_reason_4_is_answered() =>
        Assert.Equal(CallOutcome.Answered, Run(4, true, 16).Outcome);

    [Theory]
    [InlineData(5, 16, null)]
    [InlineData(null, 17, null)]
    [InlineData(null, 16, "BUSY")]
    public void Busy_evidence_is_busy(int? reason, int cause, string? dialStatus)
    {
        var events = dialStatus is null ? [] : new[] { DialEnd(AmiDialect.Legacy, "u1", "x", dialStatus) };
        Assert.Equal(CallOutcome.Busy, Run(reason, false, cause, events).Outcome);
    }

    [Theory]
    [InlineData(8, 16, null)]
    [InlineData(null, 34, null)]
    [InlineData(null, 42, null)]
    [InlineData(null, 16, "CONGESTION")]
    public void Congestion_evidence_is_congestion(int? reason, int cause, string? dialStatus)
    {
        var events = dialStatus is null ? [] : new[] { DialEnd(AmiDialect.Modern, "u1", "x", dialStatus) };
        Assert.Equal(CallOutcome.Congestion, Run(reason, false, cause, events).Outcome);
    }

    [Theory]
    [InlineData(3, 16, null)]
    [InlineData(null, 19, null)]
    [InlineData(null, 18, null)]
    [InlineData(null, 16, "NOANSWER")]
    public void No_answer_evidence_is_no_answer(int? reason, int cause, string? dialStatus)
    {
        var events = dialStatus is null ? [] : new[] { DialEnd(AmiDialect.Modern, "u1", "x", dialStatus) };
        Assert.Equal(CallOutcome.NoAnswer, Run(reason, false, cause, events).Outcome);
    }

    [Fact]
    public void Cause_21_is_rejected() =>
        Assert.Equal(CallOutcome.Rejected, Run(null, false, 21).Outcome);

    [Fact]
    public void Dial_status_CANCEL_is_cancelled() =>
        Assert.Equal(CallOutcome.Cancelled, Run(null, false, 16, DialEnd(AmiDialect.Modern, "u1", "x", "CANCEL")).Outcome);

    [Fact]
    public void Outgoing_call_that_rang_and_ended_without_answer_is_no_answer() =>
        Assert.Equal(CallOutcome.NoAnswer, Run(1, false, 16, Newstate("u1", 5)).Outcome);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Originate_failure_without_other_evidence_is_failed(int reason)
    {
        var end = Run(reason, false, 0);
        Assert.Equal(CallOutcome.Failed, end.Outcome);
        Assert.Equal(reason, end.Failure!.OriginateReason);
        Assert.Equal(CallChange.Ended, end.Change);
    }

    [Fact]
    public void Channel_unavailable_is_failed_even_after_ringing() =>
        Assert.Equal(CallOutcome.Failed, Run(0, false, 16, Newstate("u1", 5), DialEnd(AmiDialect.Modern, "u1", "x", "CHANUNAVAIL")).Outcome);

    [Fact]
    public void Answered_call_has_no_failure_even_when_it_ended_abnormally()
    {
        var end = Run(4, true, 41, Newstate("u1", 6));
        Assert.Equal(CallOutcome.Answered, end.Outcome);
        Assert.Null(end.Failure);
        Assert.Equal(HangupCause.NormalTemporaryFailure, end.HangupCause);
    }
}
