using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>Originate and the scripted call flows, event by event as in the reference captures.</summary>
internal sealed partial class SimulatedServer
{
    /// <summary>How long Answer() on a Local channel's second half waits for media before the next application.</summary>
    private static readonly TimeSpan MediaWait = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(1);

    /// <summary>Asterisk refuses a client-chosen channel id longer than this.</summary>
    private const int MaxUniqueidLength = 149;

    private Task? Originate(SimulatorSession session, AmiRequest request)
    {
        var originate = OriginateRequest.Parse(request);
        var id = request.ActionId;
        if (originate.Channel.Length == 0)
        {
            Respond(session, Reply("Error", id, ("Message", "Channel not specified")));
            return null;
        }

        if (originate.ChannelId?.Length > MaxUniqueidLength || originate.OtherChannelId?.Length > MaxUniqueidLength)
        {
            Respond(session, Reply("Error", id, ("Message", "Uniqueid length exceeds maximum of 149")));
            return null;
        }

        if (originate.Local is null && !originate.Async)
        {
            // Only Local channels exist on the simulated server; a synchronous attempt fails at once.
            Respond(session, Reply("Error", id, ("Message", "Originate failed")));
            return null;
        }

        _callsProcessed++;
        var call = new SimCall { OriginateActionId = id, Held = originate.Async && Faults.OriginateResponseFirst ? [] : null };
        Task? wait = null;
        if (originate.Async)
        {
            Respond(session, Reply("Success", id, ("Message", "Originate successfully queued")));
        }
        else
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            session.Hold();
            call.SyncDecision = answered =>
            {
                Respond(session, answered
                    ? Reply("Success", id, ("Message", "Originate successfully queued"))
                    : Reply("Error", id, ("Message", "Originate failed")));
                session.Release();
                done.TrySetResult();
            };
            wait = done.Task;
        }

        if (originate.Local is not { } local)
        {
            At(call, Gap, () => Decide(call, originate, false, 0, null));
            return wait;
        }

        At(call, Gap + Jitter(originate), () =>
        {
            if ((IdInUse(originate.ChannelId) ?? IdInUse(originate.OtherChannelId)) is { } conflict)
            {
                // Asterisk logs "Channel Unique ID ... already in use" and creates no channel.
                LogMessages.ChannelIdInUse(Logger, conflict.Requested, conflict.Live);
                Decide(call, originate, false, 0, null);
                return;
            }

            var (one, two) = CreateLocalPair(call, local.Exten, local.Context, originate.ChannelId, originate.OtherChannelId, originate.CallerIdNum, originate.CallerIdName, originate.Variables, "AppDial2");
            if (!Dialplan.TryResolve(local.Context, local.Exten, out var destination))
            {
                At(call, Gap, () => BadExtension(call, originate, one, two));
                return;
            }

            EmitLocalBridge(one, two, local.Context, local.Exten);
            EmitDial("DialBegin", null, one, "DialString", local.Exten + "@" + local.Context);
            At(call, destination.RingTime, () => RunDestination(call, originate, one, two, destination));
        });
        return wait;
    }

    private TimeSpan Jitter(OriginateRequest originate) =>
        originate.Async && Options.OriginateJitter > TimeSpan.Zero
            ? TimeSpan.FromTicks((long)(_random.NextDouble() * Options.OriginateJitter.Ticks))
            : TimeSpan.Zero;

    /// <summary>
    /// Asterisk refuses an assigned id when a live channel's Uniqueid begins with it: its lookup
    /// compares only the length of the requested id, ignoring case.
    /// </summary>
    private (string Requested, string Live)? IdInUse(string? requested)
    {
        if (requested is null)
        {
            return null;
        }

        var live = _channels.Find(c => c.Uniqueid.StartsWith(requested, StringComparison.OrdinalIgnoreCase));
        return live is null ? null : (requested, live.Uniqueid);
    }

    /// <summary>Creates and announces the two halves of a Local channel.</summary>
    private (SimChannel One, SimChannel Two) CreateLocalPair(
        SimCall call, string exten, string context, string? oneId, string? twoId,
        string? callerNum, string? callerName, IReadOnlyList<(string Name, string Value)> variables, string dialApp, string? linkedid = null)
    {
        var suffix = NextLocalSuffix();
        var uniqueOne = oneId ?? NextUniqueid();
        var uniqueTwo = twoId ?? (oneId is null ? NextUniqueid() : oneId + ";2");
        var linked = linkedid ?? uniqueOne;
        var device = "Local/" + exten + "@" + context;
        var now = Scheduler.Now;
        var one = new SimChannel(device + "-" + suffix + ";1", uniqueOne, linked, "Local", now) { Device = device, Context = context, Exten = exten, State = 0 };
        var two = new SimChannel(device + "-" + suffix + ";2", uniqueTwo, linked, "Local", now) { Device = device, Context = context, Exten = exten, State = 4 };
        AddChannel(one, call);
        AddChannel(two, call);
        EmitNewexten(one, 1, dialApp, "(Outgoing Line)");
        foreach (var (name, value) in variables)
        {
            EmitVarSet(one, name, value);
        }

        if (callerNum is not null)
        {
            EmitCallerId(one, callerNum, callerName ?? "<unknown>", connectedToo: false);
        }

        foreach (var (name, value) in variables)
        {
            EmitVarSet(two, name, value);
        }

        if (callerNum is not null)
        {
            EmitCallerId(two, callerNum, callerName ?? "<unknown>", connectedToo: true);
        }

        return (one, two);
    }

    private void RunDestination(SimCall call, OriginateRequest originate, SimChannel one, SimChannel two, ScriptedDestination destination)
    {
        switch (destination.Outcome)
        {
            case ScriptedOutcome.Answer:
                Answered(call, originate, one, two, destination);
                break;
            case ScriptedOutcome.Busy:
                Refused(call, originate, one, two, "Busy", "2", newState: 7, "BUSY", reason: 5, cause: 17, deviceEvents: 3);
                break;
            case ScriptedOutcome.Congestion:
                Refused(call, originate, one, two, "Congestion", string.Empty, newState: 7, "CONGESTION", reason: 8, cause: 34, deviceEvents: 2);
                break;
            case ScriptedOutcome.NoAnswer:
                EmitNewexten(two, 1, "Ringing", string.Empty);
                EmitNewstate(one, 5);
                EmitDial("DialState", null, one, "DialStatus", "RINGING");
                var left = originate.Timeout - destination.RingTime - Gap;
                At(call, left > TimeSpan.Zero ? left : TimeSpan.Zero, () =>
                {
                    // As a real Asterisk 22 gives up at the Originate timeout: no DialEnd, cause 19
                    // (no answer) on both halves, then the OriginateResponse with reason 3.
                    EmitHangupRequest(two, 19, soft: false);
                    EmitHangupRequest(two, 16, soft: true);
                    EmitHangup(two, 19);
                    EmitHangup(one, 19);
                    Decide(call, originate, false, 3, null);
                    EmitDeviceState(one.Device, "NOT_INUSE");
                    EmitDeviceState(one.Device, "NOT_INUSE");
                });
                break;
            case ScriptedOutcome.DialLocal:
                DialOnward(call, originate, one, two, destination.DialTarget!);
                break;
        }
    }

    private void Answered(SimCall call, OriginateRequest originate, SimChannel one, SimChannel two, ScriptedDestination destination)
    {
        EmitNewexten(two, 1, "Answer", string.Empty);
        EmitNewstate(two, 6);
        EmitNewstate(one, 6);
        EmitDial("DialEnd", null, one, "DialStatus", "ANSWER");
        TimeSpan? oneEnds;
        bool oneInDialplan;
        if (call.SyncDecision is null)
        {
            oneEnds = EnterOriginateTarget(one, originate, out oneInDialplan);
            Decide(call, originate, true, 4, one);
            EmitDeviceState(one.Device, "INUSE");
            EmitDeviceState(one.Device, "INUSE");
        }
        else
        {
            // Order seen with a synchronous Originate (trace originate_sync_answered).
            Decide(call, originate, true, 4, one);
            EmitDeviceState(one.Device, "INUSE");
            oneEnds = EnterOriginateTarget(one, originate, out oneInDialplan);
            EmitDeviceState(one.Device, "INUSE");
        }

        At(call, MediaWait, () => EmitNewexten(two, 2, "Wait", Secs(destination.TalkTime)));
        var twoEnds = MediaWait + destination.TalkTime;
        if (oneEnds is { } ends && ends <= twoEnds)
        {
            At(call, ends, () =>
            {
                if (oneInDialplan)
                {
                    EmitNewexten(one, 3, "Hangup", string.Empty);
                }

                HangupPair(one, two, 16);
            });
        }
        else
        {
            At(call, twoEnds, () =>
            {
                EmitNewexten(two, 3, "Hangup", string.Empty);
                HangupPair(two, one, 16);
            });
        }
    }

    /// <summary>After answer the first half runs the Originate's own target; returns when it hangs up by itself.</summary>
    private TimeSpan? EnterOriginateTarget(SimChannel one, OriginateRequest originate, out bool inDialplan)
    {
        inDialplan = false;
        if (originate.Application is { } application)
        {
            one.Application = application;
            one.AppData = originate.Data ?? string.Empty;
            return application.Equals("Wait", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(originate.Data, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : null;
        }

        one.Context = originate.Context;
        one.Exten = originate.Exten;
        if (Dialplan.TryResolve(originate.Context, originate.Exten, out var target) && target.Outcome == ScriptedOutcome.Answer)
        {
            inDialplan = true;
            EmitNewexten(one, 2, "Wait", Secs(target.TalkTime));
            return target.TalkTime;
        }

        return null;
    }

    private void Refused(SimCall call, OriginateRequest originate, SimChannel one, SimChannel two, string application, string data, int? newState, string dialStatus, int reason, int cause, int deviceEvents)
    {
        Decide(call, originate, false, reason, null);
        EmitNewexten(two, 1, application, data);
        if (newState is { } state)
        {
            EmitNewstate(two, state);
        }

        EmitDial("DialEnd", null, one, "DialStatus", dialStatus);
        EmitHangupRequest(two, 0, soft: false);
        EmitHangup(one, 0);
        EmitHangupRequest(two, 16, soft: true);
        EmitHangup(two, cause);
        for (var i = 0; i < deviceEvents; i++)
        {
            EmitDeviceState(one.Device, "NOT_INUSE");
        }
    }

    private void BadExtension(SimCall call, OriginateRequest originate, SimChannel one, SimChannel two)
    {
        EmitHangup(two, 0);
        EmitDeviceState(one.Device, "INVALID");
        EmitHangup(one, 0);
        Decide(call, originate, false, 0, null);
        EmitDeviceState(one.Device, "INVALID");
    }

    /// <summary>SoftHangupRequest, HangupRequest, Hangup, SoftHangupRequest, Hangup, as a Local pair ends.</summary>
    private void HangupPair(SimChannel first, SimChannel second, int cause)
    {
        EmitHangupRequest(first, cause, soft: true);
        EmitHangupRequest(second, cause, soft: false);
        EmitHangup(first, cause);
        EmitHangupRequest(second, cause, soft: true);
        EmitHangup(second, cause);
        EmitDeviceState(first.Device, "NOT_INUSE");
        EmitDeviceState(second.Device, "NOT_INUSE");
    }

    /// <summary>Gives the Originate's verdict once: an OriginateResponse event (async) or the response (sync).</summary>
    private void Decide(SimCall call, OriginateRequest originate, bool success, int reason, SimChannel? one)
    {
        if (call.Decided)
        {
            return;
        }

        call.Decided = true;
        if (call.SyncDecision is { } decision)
        {
            decision(success);
            return;
        }

        var headers = new List<AmiHeader>();
        if (call.OriginateActionId is { } actionId)
        {
            headers.Add(new("ActionID", actionId));
        }

        headers.Add(new("Response", success ? "Success" : "Failure"));
        headers.Add(new("Channel", success && one is not null ? one.Name : originate.Channel));
        if (originate.Application is { } application)
        {
            headers.Add(new("Application", application));
            headers.Add(new("Data", originate.Data ?? string.Empty));
        }
        else
        {
            headers.Add(new("Context", originate.Context));
            headers.Add(new("Exten", originate.Exten));
        }

        headers.Add(new("Reason", reason.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("Uniqueid", success && one is not null ? one.Uniqueid : "<unknown>"));
        headers.Add(new("CallerIDNum", originate.CallerIdNum ?? "<unknown>"));
        headers.Add(new("CallerIDName", originate.CallerIdName ?? "<unknown>"));
        Emit("OriginateResponse", "call,all", headers);
        if (call.Held is { } held)
        {
            call.Held = null;
            foreach (var amiEvent in held)
            {
                Broadcast(amiEvent);
            }
        }
    }

    /// <summary>Runs <paramref name="step"/> after <paramref name="delay"/>, unless the call has ended by then.</summary>
    private void At(SimCall call, TimeSpan delay, Action step)
    {
        var handle = new SingleAssignmentDisposable();
        call.Pending.Add(handle);
        handle.Disposable = Scheduler.Schedule(delay, () =>
        {
            lock (_gate)
            {
                call.Pending.Remove(handle);
                if (!call.Ended)
                {
                    step();
                }
            }
        });
    }

    private static string Secs(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
