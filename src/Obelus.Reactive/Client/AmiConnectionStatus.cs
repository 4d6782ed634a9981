namespace Obelus.Reactive.Client;

/// <summary>Where a client's connection stands.</summary>
public enum AmiConnectionStatus
{
    /// <summary>Opening the transport, reading the banner, logging in.</summary>
    Connecting,

    /// <summary>Logged in; actions can be sent and events flow.</summary>
    Connected,

    /// <summary>The connection was lost (see the reason); a reconnect may follow.</summary>
    Disconnected,

    /// <summary>Waiting before the next connection attempt (see attempt and delay).</summary>
    Reconnecting,

    /// <summary>Closed for good: disposed, logged off, or reconnecting given up.</summary>
    Closed,

    /// <summary>
    /// Closing has begun (disposal, Logoff answered, reconnecting given up): no action can be sent
    /// any more; the Logoff, the transport's close and the failing of pending actions are under
    /// way, and <see cref="Closed"/> follows.
    /// </summary>
    Closing,
}
