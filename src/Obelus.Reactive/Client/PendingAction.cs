using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// An action waiting for its answer. Whoever removes it from the client's pending map owns
/// its completion, so a response, a timeout, a cancellation and a connection loss never race.
/// </summary>
internal sealed class PendingAction
{
    private readonly List<AmiEvent>? _items;

    public PendingAction(string actionId, string actionName, AmiSession session, bool isList, Action<AmiEvent>? onItem)
    {
        ActionId = actionId;
        ActionName = actionName;
        Session = session;
        OnItem = onItem;
        if (isList)
        {
            _items = [];
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

    /// <summary>Called on the read loop for each list item; must not block (it only writes to a channel).</summary>
    public Action<AmiEvent>? OnItem { get; }

    /// <summary>The list's opening response, once it arrived.</summary>
    public AmiResponse? ListResponse { get; set; }

    public IReadOnlyList<AmiEvent> Items => _items ?? (IReadOnlyList<AmiEvent>)[];

    public IDisposable? Timer { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }

    public void AddItem(AmiEvent item)
    {
        _items!.Add(item);
        OnItem?.Invoke(item);
    }

    public void Fail(Exception error)
    {
        Release();
        Response.TrySetException(error);
        List?.TrySetException(error);
    }

    public void Cancel(CancellationToken token)
    {
        Release();
        Response.TrySetCanceled(token);
        List?.TrySetCanceled(token);
    }

    public void Release()
    {
        Timer?.Dispose();
        Cancellation.Dispose();
    }
}
