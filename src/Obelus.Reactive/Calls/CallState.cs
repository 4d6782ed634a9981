using System.Text;

namespace Obelus.Reactive.Calls;

/// <summary>
/// One immutable snapshot of a call, emitted each time something about it changes. Records with
/// value equality (the unique ids compare element by element), so tests can compare whole states.
/// </summary>
public sealed record CallState
{
    /// <summary>The call id: a decimal sequence number for calls we originate (unique per manager), the first channel's Uniqueid for incoming calls.</summary>
    public required string CallId { get; init; }

    /// <summary>Outgoing (ours) or incoming.</summary>
    public required CallDirection Direction { get; init; }

    /// <summary>What this state reports as new.</summary>
    public required CallChange Change { get; init; }

    /// <summary>The last numeric channel state reported by a <c>Newstate</c> of the call's channels, or null before the first one.</summary>
    public ChannelState? ChannelState { get; init; }

    /// <summary>Text for <see cref="ChannelState"/>, e.g. "Up".</summary>
    public string? ChannelStateDescription => ChannelState is { } s ? CallTexts.Describe(s) : null;

    /// <summary>The status of the last Dial that ended on the call (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL, ...), or null.</summary>
    public string? DialStatus { get; init; }

    /// <summary>The hangup cause so far: the last non-zero cause reported, or 0 when only zeros were reported; null before any.</summary>
    public HangupCause? HangupCause { get; init; }

    /// <summary>Text for <see cref="HangupCause"/>, e.g. "Normal Clearing".</summary>
    public string? HangupCauseText => HangupCause is { } c ? CallTexts.Describe(c) : null;

    /// <summary>
    /// Why the call failed or was lost, or what was missing when it ended: set on
    /// <see cref="CallChange.Failed"/>, on a lost call's end, on the end of a call whose
    /// OriginateResponse reported a failure, and on an answered call none of whose channels was seen.
    /// </summary>
    public CallFailure? Failure { get; init; }

    /// <summary>The Uniqueids of the call's live channels, in the order they were bound.</summary>
    public IReadOnlyList<string> UniqueIds { get; init; } = [];

    /// <summary>How the call turned out; set on the terminal state (<see cref="CallChange.Ended"/> or <see cref="CallChange.Failed"/>) only.</summary>
    public CallOutcome? Outcome { get; init; }

    /// <summary>When the change was seen, from the manager's scheduler.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The ActionID of our Originate, or null for incoming calls.</summary>
    public string? ActionId { get; init; }

    /// <summary>True for the last state of a call (ended or failed).</summary>
    public bool IsTerminal => Change is CallChange.Ended or CallChange.Failed;

    /// <inheritdoc />
    public bool Equals(CallState? other) =>
        other is not null
        && CallId == other.CallId
        && Direction == other.Direction
        && Change == other.Change
        && ChannelState == other.ChannelState
        && DialStatus == other.DialStatus
        && HangupCause == other.HangupCause
        && Equals(Failure, other.Failure)
        && Outcome == other.Outcome
        && Timestamp == other.Timestamp
        && ActionId == other.ActionId
        && UniqueIds.SequenceEqual(other.UniqueIds, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(CallId);
        hash.Add(Change);
        hash.Add(ChannelState);
        hash.Add(HangupCause);
        hash.Add(Outcome);
        hash.Add(Timestamp);
        hash.Add(UniqueIds.Count);
        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CallId = ").Append(CallId)
            .Append(", Direction = ").Append(Direction)
            .Append(", Change = ").Append(Change);
        if (ChannelState is not null)
        {
            builder.Append(", ChannelState = ").Append((int)ChannelState).Append(' ').Append(ChannelStateDescription);
        }

        if (DialStatus is not null)
        {
            builder.Append(", DialStatus = ").Append(DialStatus);
        }

        if (HangupCause is not null)
        {
            builder.Append(", HangupCause = ").Append((int)HangupCause).Append(' ').Append(HangupCauseText);
        }

        if (Failure is not null)
        {
            builder.Append(", Failure = ").Append(Failure);
        }

        builder.Append(", UniqueIds = [").Append(string.Join(", ", UniqueIds)).Append(']');
        if (Outcome is not null)
        {
            builder.Append(", Outcome = ").Append(Outcome);
        }

        builder.Append(", Timestamp = ").Append(Timestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        if (ActionId is not null)
        {
            builder.Append(", ActionId = ").Append(ActionId);
        }

        return true;
    }
}
