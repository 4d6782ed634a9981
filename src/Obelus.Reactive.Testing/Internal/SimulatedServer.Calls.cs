using System.Globalization;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>Dial chains, the Hangup action and incoming calls.</summary>
internal sealed partial class SimulatedServer
{
    private int _bridgeSequence;

    /// <summary><c>Dial(Local/target)</c> from the second half: a second Local pair joins the call's Linkedid.</summary>
    private void DialOnward(SimCall call, OriginateRequest originate, SimChannel one, SimChannel two, string target)
    {
        var at = target.IndexOf('@', StringComparison.Ordinal);
        var exten = target[..at];
        var context = target[(at + 1)..];
        EmitNewexten(two, 1, "Dial", "Local/" + target);
        var caller = two.CallerIdNum == "<unknown>" ? null : two.CallerIdNum;
        var (innerOne, innerTwo) = CreateLocalPair(call, exten, context, null, null, caller, two.CallerIdName, [], "AppDial", one.Linkedid);
        EmitLocalBridge(innerOne, innerTwo, context, exten);
        EmitDial("DialBegin", two, innerOne, "DialString", target);
        if (!Dialplan.TryResolve(context, exten, out var inner) || inner.Outcome != ScriptedOutcome.Answer)
        {
            var (status, reason, cause, state) = inner?.Outcome switch
            {
                ScriptedOutcome.Busy => ("BUSY", 5, 17, 7),
                ScriptedOutcome.Congestion => ("CONGESTION", 8, 34, 7),
                ScriptedOutcome.NoAnswer => ("NOANSWER", 3, 19, 5),
                _ => ("CHANUNAVAIL", 0, 0, (int?)null),
            };
            if (state is { } reached)
            {
                EmitNewstate(innerOne, reached);
            }

            At(call, Gap, () =>
            {
                EmitHangup(innerTwo, cause);
                EmitHangup(innerOne, cause);
                EmitDial("DialEnd", two, innerOne, "DialStatus", status);
                EmitNewexten(two, 2, "Hangup", string.Empty);

                // The Originate's own dial of the first half was never answered.
                EmitDial("DialEnd", null, one, "DialStatus", "NOANSWER");
                Decide(call, originate, false, reason, null);

                // Dial returned and the dialplan went on to Hangup(): a normal clearing, as on a real server.
                HangupPair(two, one, 16);
            });
            return;
        }

        At(call, inner.RingTime, () =>
        {
            EmitNewexten(innerTwo, 1, "Answer", string.Empty);
            EmitNewstate(innerTwo, 6);
            EmitNewstate(innerOne, 6);
            EmitDial("DialEnd", two, innerOne, "DialStatus", "ANSWER");
            EmitNewstate(two, 6);
            EmitNewstate(one, 6);
            EmitDial("DialEnd", null, one, "DialStatus", "ANSWER");
            var oneEnds = EnterOriginateTarget(one, originate, out var oneInDialplan);
            Decide(call, originate, true, 4, one);
            EmitDeviceState(one.Device, "INUSE");
            EmitDeviceState(one.Device, "INUSE");
            var bridge = "sim-bridge-" + (++_bridgeSequence).ToString("x8", CultureInfo.InvariantCulture);
            EmitBridge("BridgeCreate", bridge, 0, null);
            EmitBridge("BridgeEnter", bridge, 1, innerOne);
            EmitBridge("BridgeEnter", bridge, 2, two);
            At(call, MediaWait, () => EmitNewexten(innerTwo, 2, "Wait", Secs(inner.TalkTime)));
            var innerEnds = MediaWait + inner.TalkTime;
            void LeaveBridge()
            {
                EmitBridge("BridgeLeave", bridge, 1, innerOne);
                EmitBridge("BridgeLeave", bridge, 0, two);
                EmitBridge("BridgeDestroy", bridge, 0, null);
            }

            if (oneEnds is { } ends && ends < innerEnds)
            {
                At(call, ends, () =>
                {
                    if (oneInDialplan)
                    {
                        EmitNewexten(one, 3, "Hangup", string.Empty);
                    }

                    EmitHangupRequest(one, 16, soft: true);
                    EmitHangupRequest(two, 16, soft: false);
                    EmitHangup(one, 16);
                    LeaveBridge();
                    EmitHangupRequest(innerOne, 16, soft: false);
                    EmitHangup(two, 16);
                    HangupPair(innerOne, innerTwo, 16);
                });
                return;
            }

            At(call, innerEnds, () =>
            {
                EmitNewexten(innerTwo, 3, "Hangup", string.Empty);
                EmitHangupRequest(innerTwo, 16, soft: true);
                EmitHangupRequest(innerOne, 16, soft: false);
                EmitHangup(innerTwo, 16);
                LeaveBridge();
                EmitHangup(innerOne, 16);
                EmitNewexten(two, 2, "Hangup", string.Empty);
                HangupPair(two, one, 16);
            });
        });
    }

    /// <summary>The Hangup action: the named channel first, then the rest of its call.</summary>
    private void HangupAction(SimulatorSession session, AmiRequest request)
    {
        var name = request["Channel"];
        if (string.IsNullOrEmpty(name))
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "No channel specified")));
            return;
        }

        if (FindChannel(name) is not { } channel)
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "No such channel")));
            return;
        }

        var cause = int.TryParse(request["Cause"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && c >= 0 ? c : 16;
        Respond(session, Reply("Success", request.ActionId, ("Message", "Channel Hungup")));
        var call = channel.Call!;
        call.Pending.Dispose();
        Decide(call, OriginateOf(call), false, 1, null);
        var others = call.Channels.Where(x => !x.HungUp && x != channel).ToList();
        EmitHangupRequest(channel, cause, soft: true);
        foreach (var other in others)
        {
            EmitHangupRequest(other, cause, soft: false);
        }

        EmitHangup(channel, cause);
        foreach (var other in others)
        {
            EmitHangupRequest(other, cause, soft: true);
            EmitHangup(other, cause);
        }

        foreach (var hung in others.Prepend(channel).Where(x => x.Type == "Local"))
        {
            EmitDeviceState(hung.Device, "NOT_INUSE");
        }
    }

    /// <summary>A stand-in for the Originate of a call hung up before its verdict (the verdict is then a failure).</summary>
    private static OriginateRequest OriginateOf(SimCall call) => new()
    {
        ActionId = call.OriginateActionId ?? string.Empty,
        Channel = call.Channels.Count > 0 ? call.Channels[0].Device : string.Empty,
        Variables = [],
        Context = call.Channels.Count > 0 ? call.Channels[0].Context : "default",
        Exten = call.Channels.Count > 0 ? call.Channels[0].Exten : "s",
    };

    /// <summary>A call arriving from outside (an IAX2 peer) with its own Linkedid.</summary>
    public SimulatedCall StartIncomingCall(string callerId, string exten, bool answer, TimeSpan duration, string context = "incoming")
    {
        lock (_gate)
        {
            _callsProcessed++;
            var (num, name) = OriginateRequest.ParseCallerId(callerId);
            var uniqueid = NextUniqueid();
            var channelName = "IAX2/127.0.0.1:4569-" + _random.Next(1000, 16384).ToString(CultureInfo.InvariantCulture);
            var channel = new SimChannel(channelName, uniqueid, uniqueid, "IAX2", Scheduler.Now)
            {
                Device = "IAX2/127.0.0.1:4569",
                State = 4,
                Context = context,
                Exten = exten,
                CallerIdNum = num ?? "<unknown>",
                CallerIdName = name ?? "<unknown>",
            };
            var call = new SimCall { Decided = true };
            AddChannel(channel, call);
            if (answer)
            {
                At(call, Gap, () =>
                {
                    EmitNewexten(channel, 1, "Answer", string.Empty);
                    EmitNewstate(channel, 6);
                    At(call, Gap, () => EmitNewexten(channel, 2, "Wait", Secs(duration)));
                    At(call, Gap + duration, () =>
                    {
                        EmitNewexten(channel, 3, "Hangup", string.Empty);
                        EmitHangupRequest(channel, 16, soft: true);
                        EmitHangupRequest(channel, 16, soft: false);
                        EmitHangup(channel, 16);
                    });
                });
            }
            else
            {
                At(call, Gap, () =>
                {
                    EmitNewexten(channel, 1, "Ringing", string.Empty);
                    EmitNewstate(channel, 5);
                    At(call, duration, () =>
                    {
                        EmitHangupRequest(channel, 16, soft: false);
                        EmitHangup(channel, 16);
                    });
                });
            }

            return new SimulatedCall(channelName, uniqueid, uniqueid);
        }
    }
}
