using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Hosting.Configuration;
using Obelus.Reactive.Hosting.Diagnostics;
using Obelus.Reactive.Hosting.Lifecycle;

namespace Obelus.Reactive.Hosting;

/// <summary>
/// Registers AMI connections with a .NET host. Each connection brings a <see cref="HostedAmiConnection"/>,
/// its <see cref="AmiClient"/>, <see cref="CallManager"/> and instrumented <see cref="IAmiConnection"/>
/// (keyed services under the connection's name; the default connection also without a key), and
/// a hosted service that connects it at start and logs it off at stop. Settings are checked when
/// the host starts. See docs/hosting.md.
/// </summary>
public static class ObelusAmiServiceCollectionExtensions
{
    /// <summary>Registers the default connection with settings bound from <paramref name="configuration"/> (a section such as <c>Obelus:Ami</c>).</summary>
    public static ObelusAmiBuilder AddObelusAmi(this IServiceCollection services, IConfiguration configuration, Action<AmiConnectionOptions>? configure = null) =>
        services.AddObelusAmi(Options.DefaultName, configuration, configure);

    /// <summary>Registers the default connection with settings given in code.</summary>
    public static ObelusAmiBuilder AddObelusAmi(this IServiceCollection services, Action<AmiConnectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, Options.DefaultName, configuration: null, configure);
    }

    /// <summary>Registers the connection <paramref name="name"/> (one per Asterisk server) with settings bound from <paramref name="configuration"/>.</summary>
    public static ObelusAmiBuilder AddObelusAmi(this IServiceCollection services, string name, IConfiguration configuration, Action<AmiConnectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Register(services, name, configuration, configure);
    }

    /// <summary>Registers the connection <paramref name="name"/> with settings given in code.</summary>
    public static ObelusAmiBuilder AddObelusAmi(this IServiceCollection services, string name, Action<AmiConnectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, name, configuration: null, configure);
    }

    private static ObelusAmiBuilder Register(IServiceCollection services, string name, IConfiguration? configuration, Action<AmiConnectionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        if (!Names(services).Add(name))
        {
            throw new InvalidOperationException($"An AMI connection named '{AmiConnectionSetup.Describe(name)}' is already registered; give each server its own name.");
        }

        services.AddMetrics();
        services.TryAddSingleton<AmiMetrics>();
        services.TryAddSingleton(sp => new HostedAmiConnections(sp, sp.GetRequiredService<AmiConnectionNames>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AmiConnectionOptions>, AmiConnectionOptionsValidator>());

        var options = services.AddOptions<AmiConnectionOptions>(name);
        if (configuration is not null)
        {
            options.Bind(configuration);
            var path = (configuration as IConfigurationSection)?.Path;
            services.Configure<AmiConnectionSetup>(name, setup => setup.ConfigurationPath = path);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();

        services.AddKeyedSingleton(name, (sp, _) => Create(sp, name));
        services.AddKeyedSingleton(name, (sp, _) => sp.GetRequiredKeyedService<HostedAmiConnection>(name).Client);
        services.AddKeyedSingleton(name, (sp, _) => sp.GetRequiredKeyedService<HostedAmiConnection>(name).Calls);
        services.AddKeyedSingleton(name, (sp, _) => sp.GetRequiredKeyedService<HostedAmiConnection>(name).Connection);
        if (name.Length == 0)
        {
            services.AddSingleton(sp => sp.GetRequiredKeyedService<HostedAmiConnection>(name));
            services.AddSingleton(sp => sp.GetRequiredKeyedService<AmiClient>(name));
            services.AddSingleton(sp => sp.GetRequiredKeyedService<CallManager>(name));
            services.AddSingleton(sp => sp.GetRequiredKeyedService<IAmiConnection>(name));
        }

        // A factory registration: AddHostedService would keep only one per implementation type.
        services.AddSingleton<IHostedService>(sp => new AmiConnectionHostedService(sp.GetRequiredKeyedService<HostedAmiConnection>(name)));
        return new ObelusAmiBuilder(services, name);
    }

    private static HostedAmiConnection Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<AmiConnectionOptions>>().Get(name),
        services.GetRequiredService<IOptionsMonitor<AmiConnectionSetup>>().Get(name),
        services,
        services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
        services.GetRequiredService<AmiMetrics>());

    private static AmiConnectionNames Names(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(AmiConnectionNames) && !d.IsKeyedService)?.ImplementationInstance is AmiConnectionNames names)
        {
            return names;
        }

        names = new AmiConnectionNames();
        services.AddSingleton(names);
        return names;
    }
}
