using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>One step of a client's connection lifecycle.</summary>
/// <param name="Status">The status.</param>
/// <param name="Timestamp">When it happened, from the client's scheduler.</param>
/// <param name="Banner">The server's greeting, when connected.</param>
/// <param name="Reason">Why the connection was lost or closed, when known.</param>
/// <param name="Attempt">The reconnect attempt number (1 for the first retry), when reconnecting.</param>
/// <param name="Delay">The wait before that attempt, when reconnecting.</param>
public sealed record AmiConnectionState(
    AmiConnectionStatus Status,
    DateTimeOffset Timestamp,
    AmiBanner? Banner = null,
    Exception? Reason = null,
    int Attempt = 0,
    TimeSpan Delay = default);
