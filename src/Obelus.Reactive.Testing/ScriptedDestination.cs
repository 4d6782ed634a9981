namespace Obelus.Reactive.Testing;

/// <summary>
/// One simulated extension: what happens to a call sent to it. Create with the factory methods.
/// </summary>
public sealed record ScriptedDestination
{
    private ScriptedDestination(ScriptedOutcome outcome, TimeSpan talkTime, TimeSpan ringTime, string? dialTarget)
    {
        Outcome = outcome;
        TalkTime = talkTime;
        RingTime = ringTime;
        DialTarget = dialTarget;
    }

    /// <summary>What the extension does.</summary>
    public ScriptedOutcome Outcome { get; }

    /// <summary>For <see cref="ScriptedOutcome.Answer"/>: the <c>Wait()</c> between answer and hangup.</summary>
    public TimeSpan TalkTime { get; }

    /// <summary>How long the extension takes before it answers, refuses or gives its signal.</summary>
    public TimeSpan RingTime { get; }

    /// <summary>For <see cref="ScriptedOutcome.DialLocal"/>: the dialled <c>exten@context</c>.</summary>
    public string? DialTarget { get; }

    /// <summary>Answers, talks for <paramref name="talkTime"/> (default 1 s, like exten 100), hangs up.</summary>
    public static ScriptedDestination Answer(TimeSpan? talkTime = null, TimeSpan? ringTime = null) =>
        new(ScriptedOutcome.Answer, NonNegative(talkTime ?? TimeSpan.FromSeconds(1)), NonNegative(ringTime ?? TimeSpan.FromMilliseconds(2)), null);

    /// <summary>Refuses with <c>Busy()</c>.</summary>
    public static ScriptedDestination Busy(TimeSpan? ringTime = null) =>
        new(ScriptedOutcome.Busy, TimeSpan.Zero, NonNegative(ringTime ?? TimeSpan.FromMilliseconds(2)), null);

    /// <summary>Rings and never answers; the Originate's <c>Timeout</c> ends the attempt.</summary>
    public static ScriptedDestination NoAnswer() =>
        new(ScriptedOutcome.NoAnswer, TimeSpan.Zero, TimeSpan.FromMilliseconds(2), null);

    /// <summary>Refuses with <c>Congestion()</c>.</summary>
    public static ScriptedDestination Congestion(TimeSpan? ringTime = null) =>
        new(ScriptedOutcome.Congestion, TimeSpan.Zero, NonNegative(ringTime ?? TimeSpan.FromMilliseconds(2)), null);

    /// <summary>Dials onward to another Local extension (<c>exten@context</c>, e.g. <c>100@default</c>).</summary>
    /// <exception cref="ArgumentException">The target is not <c>exten@context</c>.</exception>
    public static ScriptedDestination DialLocal(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        if (target.IndexOf('@', StringComparison.Ordinal) <= 0)
        {
            throw new ArgumentException($"Dial target '{target}' must be exten@context.", nameof(target));
        }

        return new(ScriptedOutcome.DialLocal, TimeSpan.Zero, TimeSpan.FromMilliseconds(2), target);
    }

    private static TimeSpan NonNegative(TimeSpan value) =>
        value < TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(value), value, "Durations must not be negative.") : value;
}
