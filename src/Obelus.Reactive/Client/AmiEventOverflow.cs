namespace Obelus.Reactive.Client;

/// <summary>What the client does when its event buffer is full because subscribers are slower than the server.</summary>
public enum AmiEventOverflow
{
    /// <summary>
    /// Backpressure: the read loop stops reading the socket until there is room, so TCP pushes
    /// back to Asterisk. Nothing is lost; action responses wait behind the queued events.
    /// </summary>
    Wait,

    /// <summary>
    /// Drop the oldest buffered event to make room. Every loss is counted
    /// (<see cref="AmiClient.EventsDropped"/>), logged as a warning and reported on
    /// <see cref="AmiClient.EventDrops"/>.
    /// </summary>
    DropOldest,
}
