using System.Globalization;
using System.Reactive.Concurrency;
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
/// <see cref="MessageInterval"/> (the states' timestamps), but no timer fires while the capture
/// is read: a timeout would only measure how many messages a capture holds. Every Originate counts
/// as sent before the first received message. When the capture ends, the timers still pending
/// fire in the order they were due (an Originate never answered, a call whose OriginateResponse
/// never came), then calls still live end as <see cref="CallOutcome.Lost"/> with the failure
/// "capture ended".
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

        // The engine's timers are held until the whole capture was folded (see ReplayClock).
        var clock = new ReplayClock(Start);
        var engine = new CallEngine(settings, clock, logger ?? NullLogger.Instance, trackIncoming: true);
        var states = new List<CallState>();
        using var newCalls = engine.NewCalls.Subscribe(call => call.States.Subscribe(states.Add));
        var calls = new Dictionary<string, Call>(StringComparer.Ordinal);
        foreach (var originate in originates)
        {
            var actionId = originate.ActionId ?? "originate-" + (calls.Count + 1).ToString(CultureInfo.InvariantCulture);
            var callId = TrackingValue(originate, trackingVariable) ?? actionId;
            var async = originate["Async"] is { } flag && IsTrue(flag);
            var timeout = int.TryParse(originate["Timeout"], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? TimeSpan.FromMilliseconds(ms)
                : options.DefaultOriginateTimeout;
            var call = new Call(callId, CallDirection.Outgoing, origin: null, logger);
            call.States.Subscribe(states.Add);
            engine.Register(call, (tracker, now) => tracker.RegisterOutgoing(callId, actionId, async, timeout, originate["ChannelId"], originate["OtherChannelId"], now));
            calls[actionId] = call;
        }

        foreach (var message in received)
        {
            clock.NextMessage(MessageInterval);
            switch (message)
            {
                case AmiEvent amiEvent:
                    engine.Apply(amiEvent);
                    break;
                case AmiResponse response when response.ActionId is { } id && calls.TryGetValue(id, out var call):
                    engine.Post((tracker, now) => tracker.ApplyOriginateResult(call.Serial, response, null, now));
                    break;
                default:
                    break;
            }
        }

        // Time runs on until every pending timer has fired; what is still live then was cut off.
        clock.RunHeldTimers();
        engine.Close("capture ended");
        return states;
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
}
