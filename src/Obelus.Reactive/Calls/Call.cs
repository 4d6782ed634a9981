using Microsoft.Extensions.Logging;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// One tracked call: ours (originated) or incoming. <see cref="States"/> replays the latest
/// state to each new subscriber, then every change, and completes after the terminal state. An
/// observer that throws is logged and unsubscribed; the call's other observers carry on.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "A call is what the library is about; VB users can bracket it.")]
public sealed class Call
{
    private readonly IsolatingSubject<CallState> _states;
    private volatile CallState? _current;
    private volatile IReadOnlyList<string> _uniqueIds = [];
    private long _startedAtUtcTicks;
    private object? _userState;

    internal Call(string id, CallDirection direction, AmiEvent? origin, ILogger? logger = null, ObserverDelivery? delivery = null)
    {
        Id = id;
        Direction = direction;
        Origin = origin;
        _states = new IsolatingSubject<CallState>(replayLatest: true, logger, delivery);
        States = _states;
    }

    /// <summary>The call id (see <see cref="CallState.CallId"/>).</summary>
    public string Id { get; }

    /// <summary>Outgoing or incoming.</summary>
    public CallDirection Direction { get; }

    /// <summary>The latest state, or null while our Originate waits for the server to accept it.</summary>
    public CallState? Current => _current;

    /// <summary>
    /// When the call's first state was made (by the scheduler's clock, as UTC), or null while our
    /// Originate waits for the server to accept it. Unlike <see cref="Current"/>, it does not move:
    /// an observer that runs after the call has changed (or ended) still reads when it began.
    /// </summary>
    public DateTimeOffset? StartedAt
    {
        get
        {
            var ticks = Volatile.Read(ref _startedAtUtcTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The Uniqueids of the call's live channels right now (bound channels show here before the next state carries them).</summary>
    public IReadOnlyList<string> UniqueIds => _uniqueIds;

    /// <summary>The <c>Newchannel</c> event an incoming call started with (its caller id, context, extension...), else null.</summary>
    public AmiEvent? Origin { get; }

    /// <summary>The channel name of an incoming call, from its Newchannel.</summary>
    public string? Channel => Origin?["Channel"];

    /// <summary>The caller id number of an incoming call, from its Newchannel.</summary>
    public string? CallerIdNumber => Origin?["CallerIDNum"];

    /// <summary>The caller id name of an incoming call, from its Newchannel.</summary>
    public string? CallerIdName => Origin?["CallerIDName"];

    /// <summary>The call's states: the latest first (replayed), then each change; completes after the terminal one.</summary>
    public IObservable<CallState> States { get; }

    /// <summary>
    /// Your own object for this call: given to <see cref="CallManager.PlaceCall"/>, or chosen by
    /// <see cref="CallManagerOptions.IncomingUserState"/> for an incoming call; you may also set it.
    /// </summary>
    public object? UserState { get => Volatile.Read(ref _userState); set => Volatile.Write(ref _userState, value); }

    /// <summary>True once the terminal state was published.</summary>
    public bool IsCompleted => _current?.IsTerminal == true;

    /// <summary>The fold's key for the call, set before any of its updates are delivered.</summary>
    internal long Serial { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"Call {Id} ({Direction}): {_current?.Change.ToString() ?? "pending"}";

    internal void SetUniqueIds(IReadOnlyList<string> uniqueIds) => _uniqueIds = uniqueIds;

    /// <summary>Sets the state a new call is announced with, before it is published.</summary>
    internal void SetCurrent(CallState? state)
    {
        if (state is not null)
        {
            MarkStarted(state);
            _current = state;
            _uniqueIds = state.UniqueIds;
        }
    }

    internal void Publish(CallState state)
    {
        MarkStarted(state);
        _current = state;
        _uniqueIds = state.UniqueIds;
        _states.OnNext(state);
        if (state.IsTerminal)
        {
            _states.OnCompleted();
        }
    }

    // Only the fold writes, so a plain check is enough; zero ticks (year 1) cannot be a real state's time.
    private void MarkStarted(CallState state)
    {
        if (_startedAtUtcTicks == 0)
        {
            Volatile.Write(ref _startedAtUtcTicks, Math.Max(1, state.Timestamp.UtcTicks));
        }
    }

    internal void Fail(Exception error) => _states.OnError(error);
}
