using Obelus.Reactive.Calls;
using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// An <see cref="IAmiConnection"/> for tests: records every action sent, lets the test push
/// events and connection states, and complete each action's response by hand (continuations run
/// inline, so a test stays on one thread) or through <see cref="AutoRespond"/>.
/// </summary>
internal sealed class FakeAmiConnection : IAmiConnection, IDisposable
{
    /// <summary>
    /// Options for a manager driven by hand through this connection: observers are called on the
    /// thread that pushes, so a test sees every state as soon as its push returns.
    /// </summary>
    public static readonly CallManagerOptions InlineOptions = new() { ObserverThreading = CallObserverThreading.Inline };

    private readonly Subject<AmiEvent> _events = new();
    private readonly BehaviorSubject<AmiConnectionState> _states = new(new AmiConnectionState(AmiConnectionStatus.Connected, DateTimeOffset.UnixEpoch));
    private readonly ConcurrentDictionary<string, TaskCompletionSource<AmiResponse>> _pending = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<AmiEventList>> _pendingLists = new();
    private int _nextActionId;

    public IObservable<AmiEvent> Events => _events.AsObservable();

    public IObservable<AmiConnectionState> States => _states.AsObservable();

    public AmiBanner? Banner { get; set; } = new("Asterisk Call Manager", "11.0.0");

    public ConcurrentQueue<AmiAction> Sent { get; } = new();

    /// <summary>When set, answers each action as it is sent (null leaves it pending).</summary>
    public Func<AmiAction, AmiResponse?>? AutoRespond { get; set; }

    /// <summary>Runs after each action was sent and answered (for scripted servers).</summary>
    public Action<AmiAction>? AfterSend { get; set; }

    public AmiAction LastSent => Sent.Last();

    public Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        action.ActionId ??= "fake-" + Interlocked.Increment(ref _nextActionId);
        Sent.Enqueue(action);
        var completion = new TaskCompletionSource<AmiResponse>();
        _pending[action.ActionId] = completion;
        if (AutoRespond?.Invoke(action) is { } response)
        {
            Respond(action.ActionId, response);
        }

        AfterSend?.Invoke(action);
        return completion.Task;
    }

    /// <summary>Event-list actions sent, in order (kept apart from <see cref="Sent"/>).</summary>
    public ConcurrentQueue<AmiAction> SentLists { get; } = new();

    public Task<AmiEventList> SendEventListAsync(AmiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        action.ActionId ??= "fake-list-" + Interlocked.Increment(ref _nextActionId);
        SentLists.Enqueue(action);
        var completion = new TaskCompletionSource<AmiEventList>();
        _pendingLists[action.ActionId] = completion;
        return completion.Task;
    }

    /// <summary>Answers event-list action <paramref name="actionId"/> with <paramref name="items"/> (continuations run inline).</summary>
    public void RespondList(string actionId, params AmiEvent[] items)
    {
        if (!_pendingLists.TryRemove(actionId, out var completion))
        {
            throw new InvalidOperationException($"No pending event list {actionId}.");
        }

        var response = AmiResponse.Create("Success", ("ActionID", actionId), ("EventList", "start"));
        var done = AmiEvent.Create("StatusComplete", ("ActionID", actionId), ("EventList", "Complete"));
        completion.SetResult(new AmiEventList(response, items, done));
    }

    public void FailList(string actionId, Exception error)
    {
        if (!_pendingLists.TryRemove(actionId, out var completion))
        {
            throw new InvalidOperationException($"No pending event list {actionId}.");
        }

        completion.SetException(error);
    }

    public void Respond(string actionId, AmiResponse response)
    {
        if (!_pending.TryRemove(actionId, out var completion))
        {
            throw new InvalidOperationException($"No pending action {actionId}.");
        }

        if (response.IsError)
        {
            completion.SetException(new AmiActionException("Originate", response));
        }
        else
        {
            completion.SetResult(response);
        }
    }

    public void Fail(string actionId, Exception error)
    {
        if (_pending.TryRemove(actionId, out var completion))
        {
            completion.SetException(error);
        }
    }

    public void Push(AmiEvent amiEvent) => _events.OnNext(amiEvent);

    public void FailEvents(Exception error) => _events.OnError(error);

    public void SetState(AmiConnectionStatus status, Exception? reason = null) =>
        _states.OnNext(new AmiConnectionState(status, DateTimeOffset.UnixEpoch, Reason: reason));

    public void Dispose()
    {
        _events.Dispose();
        _states.Dispose();
    }
}
