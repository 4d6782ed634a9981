namespace Obelus.Reactive.Testing;

/// <summary>Settings of an <see cref="AmiCaptureReplay"/>.</summary>
public sealed record AmiCaptureReplayOptions
{
    /// <summary>
    /// Rewrite the recorded channel variables (e.g. <c>X_TRACK=t1</c> of the recorded Originate) to
    /// the names and values the client's Originate carries, in <c>VarSet</c> and <c>Status</c>
    /// events. Needs the recorded actions (the <c>*.out.ami</c> file). Default true.
    /// </summary>
    public bool RewriteVariables { get; init; } = true;

    /// <summary>
    /// Refuse an action whose name differs from the recorded one at that position with
    /// <c>Response: Error</c> (the capture does not advance). Needs the recorded actions. Default true.
    /// </summary>
    public bool MatchActionNames { get; init; } = true;
}
