namespace Obelus.Reactive.Calls;

/// <summary>Who started a call.</summary>
public enum CallDirection
{
    /// <summary>Originated through this library (or bound by its tracking variable).</summary>
    Outgoing,

    /// <summary>A channel that started on the server on its own: not a leg of a tracked call.</summary>
    Incoming,
}
