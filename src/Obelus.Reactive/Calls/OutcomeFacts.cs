namespace Obelus.Reactive.Calls;

/// <summary>
/// What a call (or a not yet bound channel) has seen that bears on its outcome. Every field only
/// ever goes from false to true (or keeps one value), so the facts after a set of events do not
/// depend on their order; that is what makes the resolved outcome order-independent.
/// </summary>
/// <remarks>
/// A mutable struct held in a field of its call or channel (never copied to be changed): one
/// object fewer per call and per channel, and no extra memory access when an event updates it.
/// </remarks>
internal struct OutcomeFacts
{
    private Seen _seen;

    [Flags]
    private enum Seen : ushort
    {
        None = 0,
        Up = 1 << 0,
        Ringing = 1 << 1,
        DialAnswer = 1 << 2,
        DialBusy = 1 << 3,
        DialNoAnswer = 1 << 4,
        DialCongestion = 1 << 5,
        DialCancel = 1 << 6,
        DialUnavailable = 1 << 7,
        CauseBusy = 1 << 8,
        CauseNoAnswer = 1 << 9,
        CauseCongestion = 1 << 10,
        CauseRejected = 1 << 11,
    }

    public void ObserveState(ChannelState state)
    {
        _seen |= state switch
        {
            ChannelState.Up => Seen.Up,
            ChannelState.Ringing => Seen.Ringing,
            _ => Seen.None,
        };
    }

    public void ObserveDialStatus(string? status)
    {
        _seen |= status switch
        {
            null => Seen.None,
            _ when status.Equals("ANSWER", StringComparison.OrdinalIgnoreCase) => Seen.DialAnswer,
            _ when status.Equals("BUSY", StringComparison.OrdinalIgnoreCase) => Seen.DialBusy,
            _ when status.Equals("NOANSWER", StringComparison.OrdinalIgnoreCase) => Seen.DialNoAnswer,
            _ when status.Equals("CONGESTION", StringComparison.OrdinalIgnoreCase) => Seen.DialCongestion,
            _ when status.Equals("CANCEL", StringComparison.OrdinalIgnoreCase) => Seen.DialCancel,
            _ when status.Equals("CHANUNAVAIL", StringComparison.OrdinalIgnoreCase) => Seen.DialUnavailable,
            _ => Seen.None,
        };
    }

    public void ObserveCause(int cause)
    {
        _seen |= cause switch
        {
            17 => Seen.CauseBusy,
            18 or 19 => Seen.CauseNoAnswer,
            34 or 42 => Seen.CauseCongestion,
            21 => Seen.CauseRejected,
            _ => Seen.None,
        };
    }

    public void Merge(OutcomeFacts other) => _seen |= other._seen;

    /// <summary>
    /// Resolves the outcome. Evidence of an answer beats everything; then busy, congestion, no
    /// answer, rejected, cancelled; an outgoing call that rang but was never answered is no answer;
    /// anything else failed. <paramref name="originateReason"/> is the OriginateResponse reason (4
    /// for an accepted synchronous Originate), when known.
    /// </summary>
    public readonly CallOutcome Resolve(CallDirection direction, int? originateReason)
    {
        if (Has(Seen.Up | Seen.DialAnswer) || originateReason == 4)
        {
            return CallOutcome.Answered;
        }

        if (Has(Seen.DialBusy | Seen.CauseBusy) || originateReason == 5)
        {
            return CallOutcome.Busy;
        }

        if (Has(Seen.DialCongestion | Seen.CauseCongestion) || originateReason == 8)
        {
            return CallOutcome.Congestion;
        }

        if (Has(Seen.DialNoAnswer | Seen.CauseNoAnswer) || originateReason == 3)
        {
            return CallOutcome.NoAnswer;
        }

        if (Has(Seen.CauseRejected))
        {
            return CallOutcome.Rejected;
        }

        if (Has(Seen.DialCancel) || direction == CallDirection.Incoming)
        {
            return CallOutcome.Cancelled;
        }

        if (Has(Seen.Ringing) && !Has(Seen.DialUnavailable))
        {
            return CallOutcome.NoAnswer;
        }

        return CallOutcome.Failed;
    }

    /// <summary>Whether any of <paramref name="facts"/> was seen.</summary>
    private readonly bool Has(Seen facts) => (_seen & facts) != 0;
}
