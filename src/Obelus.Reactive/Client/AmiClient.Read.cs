using System.Buffers;
using System.Threading.Channels;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    /// <summary>
    /// Reads one session's pipe until it ends: parses whole messages, completes pending
    /// actions, routes list items, and writes events into the dispatch buffer. No user code
    /// runs here; the only wait besides the socket is for room in a full buffer (Wait policy).
    /// </summary>
    private async Task ReadLoopAsync(AmiSession session)
    {
        var input = session.Pipe.Input;
        var token = session.Closing;

        // Events parsed from one read go to the queues together: each queue's lock is taken and
        // its drain loop woken once per read instead of once per event. Each event still takes
        // its own slot (capacity and drops count events), in wire order.
        var batch = new ReadBatch();
        Exception? failure = null;
        try
        {
            while (true)
            {
                session.Reading = "waiting for data from the server";
                var result = await input.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                session.Reading = "parsing";
                try
                {
                    while (session.Reader.TryRead(ref buffer, out var item))
                    {
                        if (item.Message is AmiEvent evt && evt.ActionId is null)
                        {
                            // No ActionID: not a list item, nothing to route; the common case.
                            batch.Events.Add(evt);
                            if (batch.Events.Count == ReadBatch.FlushEvents)
                            {
                                // A read can hold thousands of events: hand them over in slices so
                                // the drain loops deliver while the rest is parsed.
                                await FlushAsync(session, batch, token).ConfigureAwait(false);
                            }

                            continue;
                        }

                        // Whatever may complete an action (a response, a list's last item) waits until the
                        // events before it are in the buffer, as when each event was written on its own.
                        if (!batch.IsEmpty)
                        {
                            await FlushAsync(session, batch, token).ConfigureAwait(false);
                        }

                        switch (Handle(session, item))
                        {
                            case AmiEvent published:
                                batch.Events.Add(published);
                                break;
                            case BlockedListItem blocked:
                                await WaitForListRoomAsync(session, blocked, token).ConfigureAwait(false);
                                break;
                            case AmiProtocolException error:
                                batch.Errors.Add(error);
                                break;
                        }
                    }

                    if (!batch.IsEmpty)
                    {
                        await FlushAsync(session, batch, token).ConfigureAwait(false);
                    }

                    if (result.IsCompleted)
                    {
                        if (session.Reader.Complete(buffer) is { } truncated)
                        {
                            LogProtocolError(truncated);
                            _dispatch.Writer.TryWrite(truncated);
                        }

                        break;
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Torn down on purpose (keep-alive death, disposal); whoever did it reports why.
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            session.Reading = "stopped";
            await input.CompleteAsync().ConfigureAwait(false);
        }

        var reason = failure is not null
            ? new AmiConnectionException($"Reading from the AMI server failed: {failure.Message}", failure)
            : new AmiConnectionException(
                session.LoggedOff ? "The server closed the connection after Goodbye."
                : session.UnsolicitedGoodbye ? "The server closed the connection after a Goodbye that answered no Logoff of ours."
                : "The server closed the connection.");
        session.FailBanner(reason);
        OnSessionLost(session, reason);
    }

    /// <summary>Observation point for tests: the read loop just started waiting for room in the buffer.</summary>
    internal Action? BackpressureStarted { get; set; }

    /// <summary>Observation point for tests: events waiting in the subscribers' queues (one per subscriber) plus protocol errors waiting in the shared buffer.</summary>
    internal int BufferedCount
    {
        get
        {
            var count = _dispatch.Reader.Count;
            foreach (var subscriber in Volatile.Read(ref _subscribers))
            {
                count += subscriber.Count;
            }

            return count;
        }
    }

    /// <summary>Handles one parsed item; returns what must go to the dispatcher (an event or a protocol error), else null.</summary>
    private object? Handle(AmiSession session, AmiReadResult item)
    {
        if (item.Banner is { } banner)
        {
            session.SetBanner(banner);
            return null;
        }

        if (item.Error is { } error)
        {
            if (error.Error == AmiProtocolError.InvalidBanner)
            {
                session.FailBanner(new AmiConnectionException($"The server did not greet as an AMI server: {error.Message}", error));
            }

            LogProtocolError(error);
            if (error.ActionId is { } spoiled && _pending.TryGetValue(spoiled, out var pending) && pending.Session == session)
            {
                // The answer to that action was unreadable: fail it now rather than at its timeout.
                Complete(pending, error);
            }

            return error;
        }

        switch (item.Message)
        {
            case AmiResponse response:
                OnResponse(session, response);
                return null;
            case AmiEvent evt:
                return RouteEvent(evt, out var blocked) ? blocked : evt;
            default:
                return null;
        }
    }

    private void OnResponse(AmiSession session, AmiResponse response)
    {
        var actionId = response.ActionId;
        var known = actionId is not null && _pending.TryGetValue(actionId, out _);
        if (response.HeaderEquals("Response", "Goodbye"))
        {
            // Only the answer to our own Logoff ends the client; a Goodbye nobody asked for
            // (a broken or hostile server) is a lost connection like any other, and the
            // reconnect policy applies to the close that follows.
            if (known && _pending.TryGetValue(actionId!, out var asked) && asked.ActionName.Equals("Logoff", StringComparison.OrdinalIgnoreCase))
            {
                session.LoggedOff = true;
            }
            else
            {
                session.UnsolicitedGoodbye = true;
            }
        }

        if (actionId is null || !_pending.TryGetValue(actionId, out var pending))
        {
            LogUnknownResponse(actionId, response.Status);
            return;
        }

        if (pending.IsList && response.IsSuccess)
        {
            // The list stays pending until its completion event; each item re-arms the timeout.
            pending.ListResponse = response;
            RearmTimeout(pending);
            return;
        }

        if (!_pending.TryRemove(new KeyValuePair<string, PendingAction>(actionId, pending)))
        {
            return;
        }

        if (response.IsError)
        {
            pending.Fail(new AmiActionException(pending.ActionName, response));
            return;
        }

        pending.Succeed(response);
    }

    /// <summary>
    /// True when <paramref name="evt"/> belongs to a started event list (and was taken by it);
    /// <paramref name="blocked"/> is then set when a streamed list's queue is full and the read
    /// loop must wait to hand the item over.
    /// </summary>
    private bool RouteEvent(AmiEvent evt, out BlockedListItem? blocked)
    {
        blocked = null;

        // No IsEmpty check: on an empty dictionary it takes every lock, once per event.
        if (evt.ActionId is not { } actionId
            || !_pending.TryGetValue(actionId, out var pending)
            || !pending.IsList || pending.ListResponse is null)
        {
            return false;
        }

        if (!IsListCompletion(evt))
        {
            if (pending.ItemCount >= _options.MaxEventListItems)
            {
                // The list is given up; this item and any later ones are published like the
                // items of a list whose caller went away.
                Complete(pending, new AmiLimitExceededException(
                    $"AMI event list '{pending.ActionName}' (ActionID {pending.ActionId}) has more than {_options.MaxEventListItems} items (AmiClientOptions.MaxEventListItems); it was given up.",
                    nameof(AmiClientOptions.MaxEventListItems),
                    _options.MaxEventListItems));
                return false;
            }

            if (pending.TryAddItem(evt))
            {
                RearmTimeout(pending);
            }
            else
            {
                // The observer is behind: no timeout while the read loop waits for it.
                pending.Timer?.Dispose();
                blocked = new BlockedListItem(pending, evt);
            }

            return true;
        }

        if (_pending.TryRemove(new KeyValuePair<string, PendingAction>(actionId, pending)))
        {
            pending.SucceedList(new AmiEventList(pending.ListResponse, pending.Items, evt));
        }

        return true;
    }

    /// <summary>
    /// <c>EventList: Complete</c> closes a list; old servers that omit the header name the
    /// closing event <c>...Complete</c> (e.g. <c>StatusComplete</c>).
    /// </summary>
    private static bool IsListCompletion(AmiEvent evt) =>
        evt.HeaderEquals("EventList", "Complete") || (!evt.Contains("EventList") && evt.Name.EndsWith("Complete", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Writes the parsed items of one read: the events into every Events subscriber's queue, in
    /// order, then the protocol errors into the shared buffer. Every queue first takes what fits
    /// without waiting, so a full queue never holds back events the others have room for; only
    /// then, under the Wait policy, does the read loop wait for room in a full one.
    /// </summary>
    private async ValueTask FlushAsync(AmiSession session, ReadBatch batch, CancellationToken token)
    {
        // One snapshot per read: a subscriber that arrives meanwhile starts with the next read.
        var subscribers = Volatile.Read(ref _subscribers);
        var events = batch.Events;
        if (events.Count > 0)
        {
            // Once per handed-over slice, not per event.
            Interlocked.Add(ref _eventsReceived, events.Count);
        }

        if (events.Count > 0 && subscribers.Length > 0)
        {
            var behind = batch.Behind;
            foreach (var subscriber in subscribers)
            {
                var next = 0;
                subscriber.TryWrite(events, ref next);
                if (next < events.Count)
                {
                    behind.Add((subscriber, next));
                }
            }

            foreach (var (subscriber, from) in behind)
            {
                var next = from;
                while (true)
                {
                    await WaitForRoomAsync(session, subscriber, token).ConfigureAwait(false);
                    subscriber.TryWrite(events, ref next);
                    if (next == events.Count)
                    {
                        break;
                    }
                }
            }

            behind.Clear();
        }

        foreach (var error in batch.Errors)
        {
            if (!_dispatch.Writer.TryWrite(error))
            {
                await WaitForDispatchRoomAsync(session, error, token).ConfigureAwait(false);
            }
        }

        batch.Clear();
    }

    /// <summary>Backpressure: the read loop waits here (and so stops reading the socket) until that subscriber makes room, or goes away.</summary>
    private async ValueTask WaitForRoomAsync(AmiSession session, EventSubscriber subscriber, CancellationToken token)
    {
        session.WaitingForEventBuffer = true;
        session.Reading = $"waiting for room in the full event buffer of Events subscription #{subscriber.Id} ({_options.EventBufferCapacity} events; that subscriber is slow)";
        BackpressureStarted?.Invoke();
        try
        {
            await subscriber.WaitForRoomAsync(token).ConfigureAwait(false);
        }
        finally
        {
            session.WaitingForEventBuffer = false;
            session.Reading = "parsing";
        }
    }

    /// <summary>Backpressure from a streamed event list: the read loop waits until its observer takes an item, or the list ends.</summary>
    private async ValueTask WaitForListRoomAsync(AmiSession session, BlockedListItem blocked, CancellationToken token)
    {
        var pending = blocked.Pending;
        session.WaitingForEventBuffer = true;
        session.Reading = $"waiting for room in the item queue of event list '{pending.ActionName}' (ActionID {pending.ActionId}; {_options.EventBufferCapacity} items; its observer is slow)";
        BackpressureStarted?.Invoke();
        try
        {
            await pending.Stream!.WriteAsync(blocked.Item, token).ConfigureAwait(false);
            pending.ItemWritten();
            RearmTimeout(pending);
        }
        catch (Exception ex) when (ex is ChannelClosedException || (ex is OperationCanceledException && !token.IsCancellationRequested))
        {
            // The list ended meanwhile (unsubscribed, failed; its queue is completed with why):
            // the item has nobody to go to, and the connection is not at fault.
        }
        finally
        {
            session.WaitingForEventBuffer = false;
            session.Reading = "parsing";
        }
    }

    /// <summary>Backpressure on the shared buffer (protocol errors), as for a subscriber's queue.</summary>
    private async ValueTask WaitForDispatchRoomAsync(AmiSession session, object item, CancellationToken token)
    {
        session.WaitingForEventBuffer = true;
        session.Reading = $"waiting for room in the full event buffer of ProtocolErrors ({_options.EventBufferCapacity} items; a subscriber is slow)";
        BackpressureStarted?.Invoke();
        try
        {
            await _dispatch.Writer.WriteAsync(item, token).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The client is closing: items after that point have nobody to go to.
        }
        finally
        {
            session.WaitingForEventBuffer = false;
            session.Reading = "parsing";
        }
    }
}
