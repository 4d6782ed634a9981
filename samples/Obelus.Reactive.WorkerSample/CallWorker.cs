using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Hosting;

namespace Obelus.Reactive.WorkerSample;

/// <summary>
/// Originates the configured calls at once (the host has connected the AMI connection before this
/// runs), logs each outcome, reports the health check and the metrics, then stops the application.
/// </summary>
public sealed class CallWorker(
    HostedAmiConnection ami,
    HealthCheckService health,
    IConfiguration configuration,
    CallRun run,
    TelemetryPrinter telemetry,
    IHostApplicationLifetime lifetime,
    ILogger<CallWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var destinations = configuration.GetSection("Sample:Calls").Get<string[]>() ?? ["Local/answer@default"];
            var calls = destinations.Select(channel => ami
                .Originate(new OriginateRequest { Channel = channel, Context = "default", Exten = "100", Timeout = TimeSpan.FromSeconds(20) })
                .Do(state => SampleLog.CallChanged(logger, channel, state.Change.ToString(), state.ChannelStateDescription))
                .LastAsync()
                .ToTask(stoppingToken));
            var ends = await Task.WhenAll(calls);
            for (var i = 0; i < destinations.Length; i++)
            {
                SampleLog.CallEnded(logger, destinations[i], ends[i].Outcome?.ToString(), ends[i].HangupCauseText ?? "none");
            }

            var report = await health.CheckHealthAsync(stoppingToken);
            SampleLog.Health(logger, report.Status.ToString(), string.Join("; ", report.Entries.Values.Select(e => e.Description)));
            telemetry.PrintTotals();
            run.Succeeded = ends.All(e => e.IsTerminal) && report.Status == HealthStatus.Healthy;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SampleLog.Failed(logger, ex);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
