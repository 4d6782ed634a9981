using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Obelus.Reactive.Hosting.Health;

/// <summary>Registers the health check of an AMI connection.</summary>
public static class ObelusAmiHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the health check of the connection registered as <paramref name="connectionName"/>
    /// (the default connection when empty): Healthy while logged in, Degraded while reconnecting
    /// or dropping events, <paramref name="failureStatus"/> (Unhealthy by default) when closed.
    /// </summary>
    public static IHealthChecksBuilder AddObelusAmi(this IHealthChecksBuilder builder, string connectionName = "", string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionName);
        checkName ??= connectionName.Length == 0 ? "obelus-ami" : "obelus-ami-" + connectionName;
        return builder.Add(new HealthCheckRegistration(
            checkName,
            services => new AmiConnectionHealthCheck(services.GetRequiredKeyedService<HostedAmiConnection>(connectionName)),
            failureStatus,
            tags));
    }
}
