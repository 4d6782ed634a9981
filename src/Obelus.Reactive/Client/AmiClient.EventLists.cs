using System.Reactive.Linq;
using System.Threading.Channels;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    /// <summary>
    /// Sends an event-list action (e.g. <c>CoreShowChannels</c>, <c>Status</c>) and completes
    /// with the response, the items and the completion event. Events carrying this action's
    /// <c>ActionID</c> after its response and up to its completion belong to the list and are
    /// not published on <see cref="Events"/>. The action timeout restarts with every item.
    /// A list longer than <see cref="AmiClientOptions.MaxEventListItems"/> fails with
    /// <see cref="AmiLimitExceededException"/>.
    /// </summary>
    /// <exception cref="AmiActionException">The server answered <c>Response: Error</c>.</exception>
    /// <exception cref="AmiConnectionException">The connection was lost before the list completed.</exception>
    /// <exception cref="AmiTimeoutException">The response or the next item did not arrive within the action timeout.</exception>
    /// <exception cref="AmiLimitExceededException">The list has more than <see cref="AmiClientOptions.MaxEventListItems"/> items.</exception>
    public Task<AmiEventList> SendEventListAsync(AmiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return SendEventListAsync(action, continuationGauge: null, cancellationToken);
    }

    /// <summary><see cref="SendEventListAsync(AmiAction, CancellationToken)"/> counted as <see cref="SendAsync(AmiAction, WorkGauge?, CancellationToken)"/> is.</summary>
    internal Task<AmiEventList> SendEventListAsync(AmiAction action, WorkGauge? continuationGauge, CancellationToken cancellationToken)
    {
        if (!TryGetSession(action, out var session, out var notConnected))
        {
            continuationGauge?.EnterContinuation();
            return Task.FromException<AmiEventList>(notConnected);
        }

        return SendOnSessionAsync(session, action, _options.ActionTimeout, isList: true, stream: null, cancellationToken, continuationGauge).List!.Task;
    }

    /// <summary>
    /// Sends an event-list action when subscribed and streams its items as they arrive, then
    /// completes (or errors like <see cref="SendEventListAsync(AmiAction, CancellationToken)"/>). Each subscription sends the
    /// action again, with its own <c>ActionID</c> (unless the action sets one); items are delivered off the read loop. Unsubscribing early forgets the
    /// action: items the server still sends for it then appear on <see cref="Events"/>.
    /// Items wait for the observer in a queue of <see cref="AmiClientOptions.EventBufferCapacity"/>;
    /// when it is full the read loop waits (backpressure, as for <see cref="Events"/> under
    /// <see cref="AmiEventOverflow.Wait"/>), and the list's timeout is suspended meanwhile. The
    /// <see cref="AmiClientOptions.MaxEventListItems"/> limit applies here too.
    /// </summary>
    public IObservable<AmiEvent> SendEventList(AmiAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Observable.Create<AmiEvent>(async (observer, cancellationToken) =>
        {
            // Bounded like an Events subscriber's queue: when the observer falls behind, the read
            // loop waits for room (backpressure) instead of piling the list up in memory.
            var items = Channel.CreateBounded<AmiEvent>(new BoundedChannelOptions(_options.EventBufferCapacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
                AllowSynchronousContinuations = false,
            });
            var session = CurrentSessionOrThrow(action);
            var pending = SendOnSessionAsync(session, action, _options.ActionTimeout, isList: true, stream: items.Writer, cancellationToken);
            _ = pending.List!.Task.ContinueWith(
                static (task, state) => ((ChannelWriter<AmiEvent>)state!).TryComplete(task.Exception?.InnerException ?? (task.IsCanceled ? new OperationCanceledException() : null)),
                items.Writer,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);

            await foreach (var item in items.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                observer.OnNext(item);
            }

            // Rethrows the list's failure (error response, timeout, lost connection) as OnError.
            await pending.List.Task.ConfigureAwait(false);
        });
    }
}
