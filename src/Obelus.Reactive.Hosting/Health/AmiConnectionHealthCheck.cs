using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Hosting.Health;

/// <summary>
/// Healthy while logged in (and, with keep-alive on, the server answering its Pings: an
/// unanswered one drops the connection); Degraded while connecting, reconnecting, held up by a
/// slow event subscriber, or after dropped events; the registration's failure status (Unhealthy by default) when closed, not started, or
/// disconnected with no attempt to come back.
/// </summary>
internal sealed class AmiConnectionHealthCheck(HostedAmiConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(Check(context.Registration.FailureStatus));
    }

    internal HealthCheckResult Check(HealthStatus failureStatus)
    {
        var client = connection.Client;
        var state = client.State;
        var now = connection.Scheduler.Now;
        var data = new Dictionary<string, object>
        {
            ["status"] = state.Status.ToString(),
            ["since"] = state.Timestamp,
            ["events_received"] = client.EventsReceived,
            ["events_dropped"] = client.EventsDropped,
        };
        var name = connection.DisplayName;
        switch (state.Status)
        {
            case AmiConnectionStatus.Connected:
                if (client.IsWaitingForSubscribers)
                {
                    return new(HealthStatus.Degraded, Text($"AMI connection '{name}' is logged in but an event subscriber is too slow: reading waits for room in its full queue, so events, responses and keep-alive answers are late."), data: data);
                }

                var window = connection.Options.DroppedEventsHealthWindow;
                if (connection.LastDropAt is { } dropped && now - dropped < window)
                {
                    return new(HealthStatus.Degraded, Text($"AMI connection '{name}' is logged in but dropped events within the last {window} (a subscriber is too slow; {client.EventsDropped} dropped in all)."), data: data);
                }

                return new(HealthStatus.Healthy, Text($"AMI connection '{name}' is logged in to {client.Banner?.ToString() ?? "the server"}."), data: data);

            case AmiConnectionStatus.Connecting:
                return new(HealthStatus.Degraded, Text($"AMI connection '{name}' is connecting."), state.Reason, data);

            case AmiConnectionStatus.Reconnecting:
                data["attempt"] = state.Attempt;
                return new(HealthStatus.Degraded, Text($"AMI connection '{name}' lost its connection; reconnect attempt {state.Attempt} in {state.Delay}."), state.Reason, data);

            case AmiConnectionStatus.Disconnected when connection.RetryingStartup || (connection.LoggedInOnce && client.Options.Reconnect is not null):
                return new(HealthStatus.Degraded, Text($"AMI connection '{name}' is disconnected and will try again."), state.Reason, data);

            case AmiConnectionStatus.Disconnected:
                var why = connection.Started ? "is not connected and will not try again" : "has not been started by the host";
                return new(failureStatus, Text($"AMI connection '{name}' {why}."), state.Reason, data);

            case AmiConnectionStatus.Closing:
                return new(failureStatus, Text($"AMI connection '{name}' is closing."), state.Reason, data);

            default:
                return new(failureStatus, Text($"AMI connection '{name}' is closed{(state.Reason is null ? "" : ": " + state.Reason.Message)}."), state.Reason, data);
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
