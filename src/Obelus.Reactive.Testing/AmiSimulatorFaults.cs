namespace Obelus.Reactive.Testing;

/// <summary>
/// Switches that make the simulated server misbehave, for reliability tests. All are off by
/// default and can be flipped at any time; they apply to every session.
/// </summary>
public sealed class AmiSimulatorFaults
{
    /// <summary>
    /// Half-open connection: while true the server reads and handles actions but writes nothing
    /// (no responses, no events); the connection stays open.
    /// </summary>
    public bool StopAnswering { get; set; }

    /// <summary>While true every response is written twice.</summary>
    public bool DuplicateResponses { get; set; }

    /// <summary>
    /// While true every response is preceded by an extra <c>Response: Success</c> whose ActionID
    /// (<c>stray-N</c>) matches no action.
    /// </summary>
    public bool ResponsesWithUnknownActionId { get; set; }
}
