using System.Diagnostics;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Hosting.Diagnostics;

namespace Obelus.Reactive.Hosting;

public sealed partial class HostedAmiConnection
{
    /// <summary>
    /// <see cref="CallManager.Originate"/>, traced and measured: each subscription is one
    /// activity from the request to the call's terminal state (its Originate action a child of
    /// it, each change an activity event, outcome and cause as tags), and one count and duration
    /// by outcome. Unsubscribing stops the notifications only; the figures still wait for the end
    /// of the call.
    /// </summary>
    /// <exception cref="ArgumentException">The request is invalid (checked now).</exception>
    /// <exception cref="ObjectDisposedException">The connection was disposed.</exception>
    public IObservable<CallState> Originate(OriginateRequest request)
    {
        var states = Calls.Originate(request);
        return Observable.Create<CallState>(observer =>
        {
            var previous = Activity.Current;
            var activity = StartOriginateActivity(request);
            var start = Scheduler.Now;
            var forwarding = 1;
            try
            {
                // The manager's own subscription lasts until the terminal state whatever the
                // observer does, so the figures describe every call, not only the watched ones.
                _ = states.Subscribe(
                    state =>
                    {
                        Track(activity, state, start);
                        if (Volatile.Read(ref forwarding) != 0)
                        {
                            observer.OnNext(state);
                        }
                    },
                    error =>
                    {
                        EndOriginate(activity, null, error, start);
                        if (Volatile.Read(ref forwarding) != 0)
                        {
                            observer.OnError(error);
                        }
                    },
                    () =>
                    {
                        if (Volatile.Read(ref forwarding) != 0)
                        {
                            observer.OnCompleted();
                        }
                    });
            }
            finally
            {
                // The activity spans the call, not this subscribe: the caller's context gets its own back.
                Activity.Current = previous;
            }

            // No lock around the observer: its code never runs under one of ours.
            return Disposable.Create(() => Volatile.Write(ref forwarding, 0));
        });
    }

    /// <summary>Times every incoming call from its first state to its terminal one.</summary>
    private IDisposable MeasureIncomingCalls() => Calls.IncomingCalls.Subscribe(call =>
    {
        // Not Current: with observers on their own lanes, the call may have moved on (or ended) by now.
        var start = call.StartedAt ?? Scheduler.Now;
        call.States.LastAsync().Subscribe(
            end => _metrics.CallEnded(this, CallDirection.Incoming, AmiMetrics.OutcomeName(end.Outcome), end.Timestamp - start),
            _ => { });
    });

    private Activity? StartOriginateActivity(OriginateRequest request)
    {
        var activity = ObelusAmiTelemetry.Source.StartActivity("AMI Originate call", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ObelusAmiTelemetry.ConnectionTag, DisplayName);
            activity.SetTag(ObelusAmiTelemetry.ChannelTag, request.Channel);
            activity.SetTag(ObelusAmiTelemetry.DirectionTag, "outgoing");
            activity.SetTag(ObelusAmiTelemetry.ServerAddressTag, Options.Host);
            activity.SetTag(ObelusAmiTelemetry.ServerPortTag, Options.Port);
        }

        return activity;
    }

    private void Track(Activity? activity, CallState state, DateTimeOffset start)
    {
        if (activity is not null)
        {
            if (state.Change == CallChange.Queued || activity.GetTagItem(ObelusAmiTelemetry.CallIdTag) is null)
            {
                activity.SetTag(ObelusAmiTelemetry.CallIdTag, state.CallId);
            }

            activity.AddEvent(new ActivityEvent(state.Change.ToString()));
        }

        if (state.IsTerminal)
        {
            EndOriginate(activity, state, null, start);
        }
    }

    private void EndOriginate(Activity? activity, CallState? state, Exception? error, DateTimeOffset start)
    {
        var outcome = error is null ? AmiMetrics.OutcomeName(state?.Outcome) : "error";

        // The state's own timestamp (the manager's clock when it happened), not when it reached us.
        _metrics.CallEnded(this, CallDirection.Outgoing, outcome, (state?.Timestamp ?? Scheduler.Now) - start);
        if (activity is null)
        {
            return;
        }

        activity.SetTag(ObelusAmiTelemetry.OutcomeTag, outcome);
        if (state?.HangupCause is { } cause)
        {
            activity.SetTag(ObelusAmiTelemetry.HangupCauseTag, (int)cause);
            activity.SetTag(ObelusAmiTelemetry.HangupCauseTextTag, state.HangupCauseText);
        }

        if (state?.Failure is { } failure)
        {
            activity.SetTag(ObelusAmiTelemetry.FailureTag, failure.Message);
        }

        if (error is not null)
        {
            activity.SetTag(ObelusAmiTelemetry.ErrorTypeTag, error.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
        }
        else if (state?.Outcome is CallOutcome.Failed or CallOutcome.Lost or CallOutcome.LostDuringDisconnect)
        {
            activity.SetStatus(ActivityStatusCode.Error, state.Failure?.Message ?? outcome);
        }
        else if (state?.Outcome == CallOutcome.Answered)
        {
            activity.SetStatus(ActivityStatusCode.Ok);
        }

        // Busy, no answer and the like are answers from the network, not faults: status left unset.

        activity.Stop();
    }
}
