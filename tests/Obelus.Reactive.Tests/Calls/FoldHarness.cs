using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>Drives a <see cref="CallTracker"/> directly and keeps everything it produced.</summary>
internal sealed class FoldHarness
{
    public const string TrackingVariable = "X_0123456789AB";
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    public FoldHarness(bool adoptUnknown = false, bool trackIncoming = true, string trackingVariable = TrackingVariable, TimeSpan reconnectGrace = default)
    {
        Logger = new ListLogger();
        Tracker = new CallTracker(
            new CallTrackerSettings(trackingVariable, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), adoptUnknown, reconnectGrace),
            Logger)
        {
            TrackIncoming = trackIncoming,
        };
    }

    public CallTracker Tracker { get; }

    public ListLogger Logger { get; }

    public DateTimeOffset Now { get; set; } = Start;

    public List<CallUpdate> Updates { get; } = [];

    public List<CallTimer> Timers { get; } = [];

    public IEnumerable<CallState> States => Updates.Where(u => u.State is not null).Select(u => u.State!);

    public IEnumerable<CallState> StatesOf(string callId) => States.Where(s => s.CallId == callId);

    public long Originate(string callId, bool async = true, string? channelId = null, string? otherChannelId = null, string? actionId = null)
    {
        var serial = Tracker.RegisterOutgoing(callId, actionId ?? "a-" + callId, async, TimeSpan.FromSeconds(30), channelId, otherChannelId, Now);
        Timers.AddRange(Tracker.TakeTimers());
        return serial;
    }

    /// <summary>Registers call <paramref name="callId"/> and lets the server accept it.</summary>
    public long Queue(string callId, bool async = true, string? channelId = null, string? otherChannelId = null)
    {
        var serial = Originate(callId, async, channelId, otherChannelId);
        Respond(serial, CallEvents.Queued("a-" + callId));
        return serial;
    }

    public void Respond(long serial, AmiResponse response) => Take(Tracker.ApplyOriginateResult(serial, response, null, Now));

    public void Fail(long serial, Exception error) => Take(Tracker.ApplyOriginateResult(serial, null, error, Now));

    public void Feed(params AmiEvent[] events)
    {
        foreach (var e in events)
        {
            Take(Tracker.Apply(e, Now));
        }
    }

    public void Expire(CallTimerKind kind, long serial)
    {
        var timer = Timers.Last(t => t.Serial == serial && t.Kind == kind && t.Due is not null);
        Now = timer.Due!.Value;
        Take(Tracker.Expire(timer, Now));
    }

    public void Disconnect(string reason = "Connection disconnected") => Take(Tracker.Disconnected(reason, Now));

    public void Resync(params AmiEvent[] statusItems)
    {
        Take(Tracker.Reconnected(Now));
        Take(Tracker.Resynced(statusItems, Now));
    }

    public void LoseConnection(string reason = "Connection lost") => Take(Tracker.ConnectionLost(reason, Now));

    private void Take(IReadOnlyList<CallUpdate> updates)
    {
        Updates.AddRange(updates);
        Timers.AddRange(Tracker.TakeTimers());
    }
}
