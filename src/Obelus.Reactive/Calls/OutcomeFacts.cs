namespace Obelus.Reactive.Calls;

/// <summary>
/// What a call (or a not yet bound channel) has seen that bears on its outcome. Every field only
/// ever goes from false to true (or keeps one value), so the facts after a set of events do not
/// depend on their order; that is what makes the resolved outcome order-independent.
/// </summary>
internal sealed class OutcomeFacts
{
    public bool SawUp { get; private set; }

    public bool SawRinging { get; private set; }

    public bool DialAnswer { get; private set; }

    public bool DialBusy { get; private set; }

    public bool DialNoAnswer { get; private set; }

    public bool DialCongestion { get; private set; }

    public bool DialCancel { get; private set; }

    public bool DialUnavailable { get; private set; }

    public bool CauseBusy { get; private set; }

    public bool CauseNoAnswer { get; private set; }

    public bool CauseCongestion { get; private set; }

    public bool CauseRejected { get; private set; }

    public void ObserveState(ChannelState state)
    {
        SawUp |= state == ChannelState.Up;
        SawRinging |= state == ChannelState.Ringing;
    }

    public void ObserveDialStatus(string? status)
    {
        switch (status?.ToUpperInvariant())
        {
            case "ANSWER": DialAnswer = true; break;
            case "BUSY": DialBusy = true; break;
            case "NOANSWER": DialNoAnswer = true; break;
            case "CONGESTION": DialCongestion = true; break;
            case "CANCEL": DialCancel = true; break;
            case "CHANUNAVAIL": DialUnavailable = true; break;
            default: break;
        }
    }

    public void ObserveCause(int cause)
    {
        switch (cause)
        {
            case 17: CauseBusy = true; break;
            case 18 or 19: CauseNoAnswer = true; break;
            case 34 or 42: CauseCongestion = true; break;
            case 21: CauseRejected = true; break;
            default: break;
        }
    }

    public void Merge(OutcomeFacts other)
    {
        SawUp |= other.SawUp;
        SawRinging |= other.SawRinging;
        DialAnswer |= other.DialAnswer;
        DialBusy |= other.DialBusy;
        DialNoAnswer |= other.DialNoAnswer;
        DialCongestion |= other.DialCongestion;
        DialCancel |= other.DialCancel;
        DialUnavailable |= other.DialUnavailable;
        CauseBusy |= other.CauseBusy;
        CauseNoAnswer |= other.CauseNoAnswer;
        CauseCongestion |= other.CauseCongestion;
        CauseRejected |= other.CauseRejected;
    }

    /// <summary>
    /// Resolves the outcome. Evidence of an answer beats everything; then busy, congestion, no
    /// answer, rejected, cancelled; an outgoing call that rang but was never answered is no answer;
    /// anything else failed. <paramref name="originateReason"/> is the OriginateResponse reason (4
    /// for an accepted synchronous Originate), when known.
    /// </summary>
    public CallOutcome Resolve(CallDirection direction, int? originateReason)
    {
        if (SawUp || DialAnswer || originateReason == 4)
        {
            return CallOutcome.Answered;
        }

        if (DialBusy || CauseBusy || originateReason == 5)
        {
            return CallOutcome.Busy;
        }

        if (DialCongestion || CauseCongestion || originateReason == 8)
        {
            return CallOutcome.Congestion;
        }

        if (DialNoAnswer || CauseNoAnswer || originateReason == 3)
        {
            return CallOutcome.NoAnswer;
        }

        if (CauseRejected)
        {
            return CallOutcome.Rejected;
        }

        if (DialCancel || direction == CallDirection.Incoming)
        {
            return CallOutcome.Cancelled;
        }

        if (SawRinging && !DialUnavailable)
        {
            return CallOutcome.NoAnswer;
        }

        return CallOutcome.Failed;
    }
}
