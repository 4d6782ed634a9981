namespace Obelus.Reactive.Client;

/// <summary>What the client does when a subscriber's event queue is full because that subscriber is slower than the server.</summary>
public enum AmiEventOverflow
{
    /// <summary>
    /// Backpressure: the read loop stops reading the socket until there is room in the full
    /// queue, so TCP pushes back to Asterisk. Nothing is lost; action responses wait behind the
    /// queued events, and so, once the slow subscriber's queue is full, do the other subscribers.
    /// </summary>
    Wait,

    /// <summary>
    /// The full queue drops its oldest event to make room; other subscribers never wait. Every loss is counted
    /// (<see cref="AmiClient.EventsDropped"/>), logged as a warning and reported on
    /// <see cref="AmiClient.EventDrops"/>.
    /// </summary>
    DropOldest,
}
