using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Client;
using Obelus.Reactive.Hosting.Diagnostics;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;

namespace Obelus.Reactive.Hosting.Tests;

/// <summary>
/// A generic host with one AMI connection, configured from an in-memory <c>Obelus:Ami</c> section,
/// that reaches an in-memory simulator; the host, the client and the simulator share one TestScheduler.
/// </summary>
internal sealed class SimulatedHost : IAsyncDisposable
{
    private SimulatedHost(TestScheduler scheduler, AmiSimulator simulator, IHost host, CapturingLoggerProvider logs, string name)
    {
        Scheduler = scheduler;
        Simulator = simulator;
        Host = host;
        Logs = logs;
        Name = name;
    }

    public TestScheduler Scheduler { get; }

    public AmiSimulator Simulator { get; }

    public IHost Host { get; }

    public CapturingLoggerProvider Logs { get; }

    public string Name { get; }

    public HostedAmiConnection Connection => Host.Services.GetRequiredKeyedService<HostedAmiConnection>(Name);

    public AmiClient Client => Connection.Client;

    public AmiMetrics Metrics => Host.Services.GetRequiredService<AmiMetrics>();

    /// <summary>Settings every test starts from: the simulator's user, keep-alive off, a reconnect policy without jitter.</summary>
    public static Dictionary<string, string?> BaseSettings() => new()
    {
        ["Host"] = "simulator",
        ["Username"] = "obelus",
        ["Secret"] = "obelus",
        ["KeepAliveInterval"] = "00:00:00",
        ["Reconnect:InitialDelay"] = "00:00:02",
        ["Reconnect:MaxDelay"] = "00:00:10",
        ["Reconnect:Jitter"] = "0",
    };

    /// <summary>Builds the host (not started). <paramref name="settings"/> are keys under the connection's section.</summary>
    public static SimulatedHost Create(
        Dictionary<string, string?>? settings = null,
        string name = "",
        Func<AmiSimulator, IAmiTransport>? transport = null,
        Action<IServiceCollection>? services = null,
        bool settle = true)
    {
        var scheduler = new TestScheduler();

        // A test that blocks a subscriber on purpose turns settling off: virtual time would wait for it.
        var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler, SettleTimeout = settle ? AmiSimulatorOptions.DefaultSettleTimeout : TimeSpan.Zero });
        var section = name.Length == 0 ? "Obelus:Ami" : "Obelus:Ami:" + name;
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection((settings ?? BaseSettings()).Select(kv => KeyValuePair.Create(section + ":" + kv.Key, kv.Value)));
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services
            .AddObelusAmi(name, builder.Configuration.GetSection(section))
            .UseTransport(_ => transport?.Invoke(simulator) ?? AmiTransport.FromPipe(_ => ValueTask.FromResult(simulator.CreateConnection())))
            .UseScheduler(scheduler)
            .AddHealthCheck();
        services?.Invoke(builder.Services);
        return new SimulatedHost(scheduler, simulator, builder.Build(), logs, name);
    }

    /// <summary>Builds and starts the host; the connection is logged in when this returns.</summary>
    public static async Task<SimulatedHost> StartAsync(Dictionary<string, string?>? settings = null, string name = "", bool settle = true)
    {
        var host = Create(settings, name, settle: settle);
        await host.Host.StartAsync().WaitAsync(Timeout);
        return host;
    }

    /// <summary>Safety net for waits on other threads; never reached when the code works.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Completes when the client publishes a state with <paramref name="status"/> (the current one counts).</summary>
    public Task<AmiConnectionState> WaitForStatus(AmiConnectionStatus status) =>
        Client.States.FirstAsync(s => s.Status == status).ToTask().WaitAsync(Timeout);

    /// <summary>Completes when the simulator has handled an action named <paramref name="name"/>; call before causing it.</summary>
    public Task<AmiRequest> WaitForAction(string name) =>
        Simulator.Actions.FirstAsync(a => a.Name == name).ToTask().WaitAsync(Timeout);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A host that failed to start has nothing to stop (and its StopAsync would throw).
            if (Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested)
            {
                using var stop = new CancellationTokenSource(Timeout);
                await Host.StopAsync(stop.Token);
            }
        }
        finally
        {
            if (Host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync();
            }
            else
            {
                Host.Dispose();
            }
            await Simulator.DisposeAsync();
        }
    }
}
