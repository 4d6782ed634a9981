using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// What the call layer needs from an AMI connection: its events, its state and a way to send
/// actions. <see cref="AmiClient"/> implements it; tests can supply their own.
/// </summary>
public interface IAmiConnection
{
    /// <summary>Every event from the server, hot and shared, in wire order.</summary>
    IObservable<AmiEvent> Events { get; }

    /// <summary>Connection state changes; a new subscriber first sees the current state.</summary>
    IObservable<AmiConnectionState> States { get; }

    /// <summary>The greeting of the current (or last) connection, or null before the first one.</summary>
    AmiBanner? Banner { get; }

    /// <summary>Sends an action and completes with its response.</summary>
    /// <exception cref="AmiActionException">The server answered <c>Response: Error</c>.</exception>
    /// <exception cref="AmiConnectionException">The connection was lost before the response.</exception>
    /// <exception cref="AmiTimeoutException">No response within the action timeout.</exception>
    Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an event-list action (e.g. <c>CoreShowChannels</c>, <c>Status</c>) and completes
    /// with the response, the list items and the completion event.
    /// </summary>
    Task<AmiEventList> SendEventListAsync(AmiAction action, CancellationToken cancellationToken = default);
}
