using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// Runs the call fold over a recorded AMI session: the messages a client received and,
/// optionally, the actions it sent (to know each Originate as it went out: its ActionID, its
/// tracking variable value, its <c>ChannelId</c>/<c>OtherChannelId</c>).
/// </summary>
/// <remarks>
/// Captures carry no timing, so each received message advances a virtual clock by
/// <see cref="MessageInterval"/>; timers (the wait for a late <c>OriginateResponse</c>, bind
/// timeouts) run on that clock. Every Originate counts as sent before the first received
/// message. When the capture ends, pending timers fire, then calls still live end as
/// <see cref="CallOutcome.Lost"/> with the failure "capture ended".
/// </remarks>
public static partial class CallReplay
{
    /// <summary>Virtual time between two received messages.</summary>
    public static readonly TimeSpan MessageInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Where the virtual clock starts.</summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    /// <summary>Folds <paramref name="received"/> and returns every call state in the order the fold produced them.</summary>
    /// <param name="received">Messages from the server, in wire order (events and responses).</param>
    /// <param name="sent">Actions the client sent, in order; only <c>Originate</c>s matter. Empty: incoming calls only.</param>
    /// <param name="trackingVariable">The Originates' tracking variable; null: the first variable of the first Originate whose name fits <c>^[A-Z][_A-Z0-9]*$</c>.</param>
    /// <param name="options">Timeouts of the fold; defaults when null.</param>
    /// <param name="logger">Where the fold logs what it ignores.</param>
    /// <exception cref="ArgumentException">The tracking variable is not a valid name.</exception>
    public static IReadOnlyList<CallState> Replay(
        IEnumerable<AmiMessage> received,
        IEnumerable<AmiRequest> sent,
        string? trackingVariable = null,
        CallManagerOptions? options = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(sent);
        options ??= CallManagerOptions.Default;
        options.Validate();
        var originates = sent.Where(a => a.Name.Equals("Originate", StringComparison.OrdinalIgnoreCase)).ToList();
        trackingVariable ??= InferTrackingVariable(originates);
        if (trackingVariable is not null && !CallManagerOptions.IsValidVariableName(trackingVariable))
        {
            throw new ArgumentException($"Tracking variable '{trackingVariable}' must match ^[A-Z][_A-Z0-9]*$.", nameof(trackingVariable));
        }

        var settings = new CallTrackerSettings(trackingVariable ?? "\0", options.ResponseTimeout, options.BindTimeoutMargin, options.OriginateResponseGrace, AdoptUnknownTrackingValues: true);
        var run = new Run(new CallTracker(settings, logger ?? NullLogger.Instance) { TrackIncoming = true });
        var serials = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var originate in originates)
        {
            var actionId = originate.ActionId ?? "originate-" + (serials.Count + 1).ToString(CultureInfo.InvariantCulture);
            var callId = TrackingValue(originate, trackingVariable) ?? actionId;
            var async = originate["Async"] is { } flag && IsTrue(flag);
            var timeout = int.TryParse(originate["Timeout"], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? TimeSpan.FromMilliseconds(ms)
                : options.DefaultOriginateTimeout;
            serials[actionId] = run.Tracker.RegisterOutgoing(callId, actionId, async, timeout, originate["ChannelId"], originate["OtherChannelId"], run.Now);
        }

        run.CollectTimers();
        foreach (var message in received)
        {
            run.Advance(run.Now + MessageInterval);
            switch (message)
            {
                case AmiEvent amiEvent:
                    run.Take(run.Tracker.Apply(amiEvent, run.Now));
                    break;
                case AmiResponse response when response.ActionId is { } id && serials.TryGetValue(id, out var serial):
                    run.Take(run.Tracker.ApplyOriginateResult(serial, response, null, run.Now));
                    break;
                default:
                    break;
            }
        }

        run.Advance(DateTimeOffset.MaxValue);
        run.Take(run.Tracker.ConnectionLost("capture ended", run.Now));
        return run.States;
    }

    private static string? InferTrackingVariable(IEnumerable<AmiRequest> originates)
    {
        foreach (var originate in originates)
        {
            foreach (var variable in originate.GetValues("Variable"))
            {
                var equals = variable.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && CallManagerOptions.IsValidVariableName(variable[..equals]))
                {
                    return variable[..equals];
                }
            }
        }

        return null;
    }

    private static string? TrackingValue(AmiRequest originate, string? trackingVariable)
    {
        if (trackingVariable is null)
        {
            return null;
        }

        var prefix = trackingVariable + "=";
        foreach (var variable in originate.GetValues("Variable"))
        {
            // Asterisk also accepts several variables in one header, separated by commas.
            foreach (var part in variable.Split(','))
            {
                if (part.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return part[prefix.Length..];
                }
            }
        }

        return null;
    }

    private static bool IsTrue(string flag) => TruePattern().IsMatch(flag);

    [GeneratedRegex("^(true|yes|1|on|y|t)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TruePattern();

    /// <summary>The fold, its virtual clock and its pending timers during one replay.</summary>
    private sealed class Run(CallTracker tracker)
    {
        private readonly Dictionary<(long Serial, CallTimerKind Kind), DateTimeOffset> _timers = [];

        public CallTracker Tracker { get; } = tracker;

        public DateTimeOffset Now { get; private set; } = Start;

        public List<CallState> States { get; } = [];

        /// <summary>Moves the clock to <paramref name="until"/>, firing every timer due by then in due order.</summary>
        public void Advance(DateTimeOffset until)
        {
            while (_timers.Count > 0)
            {
                var next = _timers.MinBy(t => t.Value);
                if (next.Value > until)
                {
                    break;
                }

                _timers.Remove(next.Key);
                Now = next.Value > Now ? next.Value : Now;
                Take(Tracker.Expire(new CallTimer(next.Key.Serial, next.Key.Kind, next.Value), Now));
            }

            if (until != DateTimeOffset.MaxValue)
            {
                Now = until;
            }
        }

        public void Take(IReadOnlyList<CallUpdate> updates)
        {
            foreach (var update in updates)
            {
                if (update.State is { } state)
                {
                    States.Add(state);
                }
            }

            CollectTimers();
        }

        public void CollectTimers()
        {
            foreach (var timer in Tracker.TakeTimers())
            {
                if (timer.Due is { } due)
                {
                    _timers[(timer.Serial, timer.Kind)] = due;
                }
                else
                {
                    _timers.Remove((timer.Serial, timer.Kind));
                }
            }
        }
    }
}
