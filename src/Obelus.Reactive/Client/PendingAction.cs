using System.Threading.Channels;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// An action waiting for its answer. Whoever removes it from the client's pending map owns
/// its completion, so a response, a timeout, a cancellation and a connection loss never race.
/// </summary>
internal sealed class PendingAction
{
    private readonly List<AmiEvent>? _items;

    public PendingAction(string actionId, string actionName, AmiSession session, bool isList, ChannelWriter<AmiEvent>? stream, WorkGauge? continuationGauge = null)
    {
        ContinuationGauge = continuationGauge;
        ActionId = actionId;
        ActionName = actionName;
        Session = session;
        Stream = stream;
        if (isList)
        {
            // A streamed list hands its items over and keeps none.
            _items = stream is null ? [] : null;
            List = new TaskCompletionSource<AmiEventList>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public string ActionId { get; }

    public string ActionName { get; }

    public AmiSession Session { get; }

    /// <summary>Completed with the response (plain actions).</summary>
    public TaskCompletionSource<AmiResponse> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed with the whole list (event-list actions), else null.</summary>
    public TaskCompletionSource<AmiEventList>? List { get; }

    public bool IsList => List is not null;

    /// <summary>Where a streamed list's items go (a bounded channel: the read loop waits when it is full), else null.</summary>
    public ChannelWriter<AmiEvent>? Stream { get; }

    /// <summary>The list's opening response, once it arrived.</summary>
    public AmiResponse? ListResponse { get; set; }

    public IReadOnlyList<AmiEvent> Items => _items ?? (IReadOnlyList<AmiEvent>)[];

    /// <summary>List items received so far (read loop only).</summary>
    public int ItemCount { get; private set; }

    public IDisposable? Timer { get; set; }

    /// <summary>
    /// Set when whoever awaits this action reports back to the gauge once its continuation has
    /// run: the completion counts as work in flight until then.
    /// </summary>
    public WorkGauge? ContinuationGauge { get; }

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>Takes a list item; false when the stream is full (the caller waits for room, writes it, then calls <see cref="ItemWritten"/>).</summary>
    public bool TryAddItem(AmiEvent item)
    {
        if (Stream is { } stream)
        {
            if (!stream.TryWrite(item))
            {
                return false;
            }
        }
        else
        {
            _items!.Add(item);
        }

        ItemCount++;
        return true;
    }

    public void ItemWritten() => ItemCount++;

    public void Succeed(AmiResponse response)
    {
        Release();
        ContinuationGauge?.EnterContinuation();
        HandedOver(Response.TrySetResult(response));
    }

    public void SucceedList(AmiEventList list)
    {
        Release();
        ContinuationGauge?.EnterContinuation();
        HandedOver(List!.TrySetResult(list));
    }

    public void Fail(Exception error)
    {
        Release();
        ContinuationGauge?.EnterContinuation();
        var response = Response.TrySetException(error);
        HandedOver(List?.TrySetException(error) ?? response);
    }

    public void Cancel(CancellationToken token)
    {
        Release();
        ContinuationGauge?.EnterContinuation();
        var response = Response.TrySetCanceled(token);
        HandedOver(List?.TrySetCanceled(token) ?? response);
    }

    /// <summary>The gauge was told of a hand-over before the task completed; none happened when it was already complete.</summary>
    private void HandedOver(bool completed)
    {
        if (!completed)
        {
            ContinuationGauge?.ExitContinuation();
        }
    }

    public void Release()
    {
        Timer?.Dispose();
        Cancellation.Dispose();
    }
}
