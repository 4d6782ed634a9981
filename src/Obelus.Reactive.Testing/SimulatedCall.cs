namespace Obelus.Reactive.Testing;

/// <summary>A call the simulator started by itself (e.g. an incoming call).</summary>
/// <param name="Channel">The channel name, e.g. <c>IAX2/127.0.0.1:4569-1234</c>.</param>
/// <param name="Uniqueid">The channel's Uniqueid.</param>
/// <param name="Linkedid">The call's Linkedid (equal to the Uniqueid for a call that starts here).</param>
public sealed record SimulatedCall(string Channel, string Uniqueid, string Linkedid);
