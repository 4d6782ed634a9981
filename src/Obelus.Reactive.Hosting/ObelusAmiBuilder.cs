using System.Reactive.Concurrency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Hosting.Configuration;
using Obelus.Reactive.Hosting.Health;

namespace Obelus.Reactive.Hosting;

/// <summary>Further set-up of one connection registered with <c>AddObelusAmi</c>: what configuration cannot say.</summary>
public sealed class ObelusAmiBuilder
{
    internal ObelusAmiBuilder(IServiceCollection services, string name)
    {
        Services = services;
        Name = name;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The connection's name (empty for the default connection).</summary>
    public string Name { get; }

    /// <summary>Changes settings after configuration was bound (e.g. a secret from a vault client).</summary>
    public ObelusAmiBuilder Configure(Action<AmiConnectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(Name, configure);
        return this;
    }

    /// <summary>Reaches the server another way than TCP or TLS to the configured host (in-memory tests, a custom stream).</summary>
    public ObelusAmiBuilder UseTransport(Func<IServiceProvider, IAmiTransport> transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Services.Configure<AmiConnectionSetup>(Name, setup => setup.TransportFactory = transport);
        return this;
    }

    /// <summary>Runs every timer and measures every duration of the connection on <paramref name="scheduler"/> (a TestScheduler in tests).</summary>
    public ObelusAmiBuilder UseScheduler(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Services.Configure<AmiConnectionSetup>(Name, setup => setup.Scheduler = scheduler);
        return this;
    }

    /// <summary>
    /// Adds the connection's health check (named <c>obelus-ami</c>, or <c>obelus-ami-NAME</c> for a
    /// named connection, unless <paramref name="checkName"/> says otherwise).
    /// </summary>
    public ObelusAmiBuilder AddHealthCheck(string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        Services.AddHealthChecks().AddObelusAmi(Name, checkName, failureStatus, tags);
        return this;
    }
}
