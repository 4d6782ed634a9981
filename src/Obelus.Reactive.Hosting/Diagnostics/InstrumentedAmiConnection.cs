using System.Diagnostics;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Hosting.Diagnostics;

/// <summary>
/// The client as the call manager and the application see it through dependency injection:
/// every action round trip becomes an activity and a measurement. Events and states pass through
/// untouched.
/// </summary>
internal sealed class InstrumentedAmiConnection(HostedAmiConnection owner, AmiClient client, AmiMetrics metrics) : IAmiConnection
{
    public IObservable<AmiEvent> Events => client.Events;

    public IObservable<AmiConnectionState> States => client.States;

    public AmiBanner? Banner => client.Banner;

    public Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Observed
            ? MeasureAsync(action, a => client.SendAsync(a, cancellationToken))
            : client.SendAsync(action, cancellationToken);
    }

    public Task<AmiEventList> SendEventListAsync(AmiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Observed
            ? MeasureAsync(action, a => client.SendEventListAsync(a, cancellationToken))
            : client.SendEventListAsync(action, cancellationToken);
    }

    /// <summary>Nobody listening: the action goes straight to the client, with no timing, no activity and no allocation.</summary>
    private bool Observed => metrics.ActionsMeasured || ObelusAmiTelemetry.Source.HasListeners();

    private Activity? StartActivity(AmiAction action)
    {
        var activity = ObelusAmiTelemetry.Source.StartActivity("AMI " + action.Name, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ObelusAmiTelemetry.ConnectionTag, owner.DisplayName);
            activity.SetTag(ObelusAmiTelemetry.ActionTag, action.Name);
            activity.SetTag(ObelusAmiTelemetry.ServerAddressTag, client.Options.Host);
            activity.SetTag(ObelusAmiTelemetry.ServerPortTag, client.Options.Port);
        }

        return activity;
    }

    /// <remarks>Async so that the activity made current here does not leak into the caller's context.</remarks>
    private async Task<T> MeasureAsync<T>(AmiAction action, Func<AmiAction, Task<T>> send)
    {
        var activity = StartActivity(action);
        var start = owner.Scheduler.Now;
        metrics.ActionStarted(owner, action.Name);
        string? errorType = null;
        try
        {
            var sending = send(action);

            // The client gave the action its ActionID before returning the task.
            activity?.SetTag(ObelusAmiTelemetry.ActionIdTag, action.ActionId);
            var result = await sending.ConfigureAwait(false);
            activity?.SetStatus(ActivityStatusCode.Ok);
            return result;
        }
        catch (Exception ex)
        {
            errorType = ex.GetType().FullName;
            if (activity is not null)
            {
                activity.SetTag(ObelusAmiTelemetry.ErrorTypeTag, errorType);
                activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            }

            throw;
        }
        finally
        {
            metrics.ActionEnded(owner, action.Name, owner.Scheduler.Now - start, errorType);
            activity?.Dispose();
        }
    }
}
