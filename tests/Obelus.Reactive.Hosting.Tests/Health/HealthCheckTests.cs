using System.Reactive.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Hosting.Health;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Hosting.Tests.Health;

public class HealthCheckTests
{
    private static async Task<HealthReportEntry> Check(SimulatedHost host, string entry = "obelus-ami") =>
        (await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[entry];

    [Fact]
    public async Task Logged_in_is_healthy_and_says_to_which_server()
    {
        await using var host = await SimulatedHost.StartAsync();

        var health = await Check(host);

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal("AMI connection 'default' is logged in to Asterisk Call Manager/11.0.0.", health.Description);
        Assert.Equal("Connected", health.Data["status"]);
    }

    [Fact]
    public async Task Not_started_by_the_host_is_unhealthy()
    {
        await using var host = SimulatedHost.Create();

        var health = await Check(host);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal("AMI connection 'default' has not been started by the host.", health.Description);
    }

    [Fact]
    public async Task Closed_is_unhealthy_and_a_named_connection_has_its_own_check()
    {
        await using var host = await SimulatedHost.StartAsync(name: "east");
        await host.Host.StopAsync().WaitAsync(SimulatedHost.Timeout);

        var health = await Check(host, "obelus-ami-east");

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal("AMI connection 'east' is closed.", health.Description);
    }

    [Fact]
    public async Task A_lost_connection_without_a_reconnect_policy_is_unhealthy()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["Reconnect:Enabled"] = "false";
        await using var host = await SimulatedHost.StartAsync(settings);
        var lost = host.WaitForStatus(AmiConnectionStatus.Disconnected);

        host.Simulator.ResetConnections();
        await lost;
        var health = await Check(host);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal("AMI connection 'default' is not connected and will not try again.", health.Description);
        Assert.IsAssignableFrom<AmiConnectionException>(health.Exception);
    }

    [Fact]
    public async Task Reconnecting_is_degraded_with_the_attempt()
    {
        await using var host = await SimulatedHost.StartAsync();

        host.Simulator.ResetConnections();
        await host.WaitForStatus(AmiConnectionStatus.Reconnecting);
        var health = await Check(host);

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal("AMI connection 'default' lost its connection; reconnect attempt 1 in 00:00:02.", health.Description);
        Assert.Equal(1, health.Data["attempt"]);
    }

    [Fact]
    public async Task Dropped_events_degrade_the_connection_for_the_configured_window()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["EventOverflow"] = "DropOldest";
        settings["EventBufferCapacity"] = "4";
        settings["DroppedEventsHealthWindow"] = "00:01:00";
        await using var host = await SimulatedHost.StartAsync(settings, settle: false);
        using var stuck = new ManualResetEventSlim();
        using var slow = host.Client.Events.Subscribe(_ => stuck.Wait(SimulatedHost.Timeout));   // a subscriber that cannot keep up

        host.Simulator.EmitEventBurst(50);
        await host.Client.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatedHost.Timeout);   // answered after the burst was read
        var degraded = await Check(host);
        stuck.Set();

        Assert.True(host.Client.EventsDropped > 0);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.StartsWith("AMI connection 'default' is logged in but dropped events within the last 00:01:00", degraded.Description, StringComparison.Ordinal);

        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(59).Ticks);
        Assert.Equal(HealthStatus.Degraded, (await Check(host)).Status);
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        Assert.Equal(HealthStatus.Healthy, (await Check(host)).Status);
    }

    [Fact]
    public async Task A_slow_subscriber_holding_up_reading_degrades_the_connection_until_it_catches_up()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["EventBufferCapacity"] = "4";   // policy Wait: the read loop waits for the subscriber
        await using var host = await SimulatedHost.StartAsync(settings);
        using var stuck = new ManualResetEventSlim();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = host.Client.Events.Subscribe(_ =>
        {
            inHandler.TrySetResult();
            stuck.Wait(SimulatedHost.Timeout);
        });
        host.Simulator.EmitEventBurst(1);
        await inHandler.Task.WaitAsync(SimulatedHost.Timeout);   // the subscriber takes nothing more from now on
        var waits = System.Threading.Channels.Channel.CreateUnbounded<bool>();
        host.Client.BackpressureStarted = () => waits.Writer.TryWrite(true);

        host.Simulator.EmitEventBurst(50);

        // Reading may first wait a moment for another subscriber (the host's own) that is merely
        // behind; once this one's queue is full it waits for good.
        HealthReportEntry degraded;
        do
        {
            await waits.Reader.ReadAsync().AsTask().WaitAsync(SimulatedHost.Timeout);
            degraded = await Check(host);
        }
        while (degraded.Status != HealthStatus.Degraded);
        stuck.Set();
        await host.Client.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatedHost.Timeout);   // answered once the burst went through
        var recovered = await Check(host);

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.StartsWith("AMI connection 'default' is logged in but an event subscriber is too slow", degraded.Description, StringComparison.Ordinal);
        Assert.Equal(0, host.Client.EventsDropped);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
    }

    [Fact]
    public async Task The_failure_status_of_the_registration_is_used_for_a_closed_connection()
    {
        await using var host = SimulatedHost.Create(services: s => s.AddHealthChecks().AddObelusAmi(checkName: "soft", failureStatus: HealthStatus.Degraded));

        var health = await Check(host, "soft");

        Assert.Equal(HealthStatus.Degraded, health.Status);
    }
}
