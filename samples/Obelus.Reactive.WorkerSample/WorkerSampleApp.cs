using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Obelus.Reactive.Hosting;
using Obelus.Reactive.Testing;

namespace Obelus.Reactive.WorkerSample;

/// <summary>The sample application: a worker service with one AMI connection, its health check, metrics and traces.</summary>
public static class WorkerSampleApp
{
    /// <summary>Builds and runs the host until the calls are done; 0 when every call reached a terminal state and the connection stayed healthy.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(args);

        // Without a server at hand, a simulated Asterisk on a free loopback port stands in for it.
        await using var simulator = builder.Configuration.GetValue("Sample:Simulate", true) ? new AmiSimulator() : null;
        if (simulator is not null)
        {
            var endpoint = await simulator.StartTcpAsync(0, cancellationToken);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Obelus:Ami:Host"] = endpoint.Address.ToString(),
                ["Obelus:Ami:Port"] = endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Obelus:Ami:Username"] = simulator.Options.Username,
                ["Obelus:Ami:Secret"] = simulator.Options.Secret,
            });
        }

        builder.Services.AddObelusAmi(builder.Configuration.GetSection("Obelus:Ami")).AddHealthCheck();
        builder.Services.AddSingleton<TelemetryPrinter>();
        builder.Services.AddSingleton<CallRun>();
        builder.Services.AddHostedService<CallWorker>();

        using var host = builder.Build();

        // Listening before the host starts, so the first measurements and activities are seen too.
        host.Services.GetRequiredService<TelemetryPrinter>().Start();
        var run = host.Services.GetRequiredService<CallRun>();
        await host.RunAsync(cancellationToken);
        return run.Succeeded ? 0 : 1;
    }
}
