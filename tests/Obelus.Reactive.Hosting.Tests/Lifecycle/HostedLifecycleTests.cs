using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Hosting.Tests.Lifecycle;

public class HostedLifecycleTests
{
    private static async Task<HealthStatus> Health(SimulatedHost host) =>
        (await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["obelus-ami"].Status;

    /// <summary>A transport that refuses the first <paramref name="failures"/> attempts, then reaches the simulator.</summary>
    private static Func<Testing.AmiSimulator, IAmiTransport> FailingFirst(int failures, List<int> attempts) => simulator =>
        AmiTransport.FromPipe(_ =>
        {
            lock (attempts)
            {
                attempts.Add(attempts.Count + 1);
                return attempts.Count <= failures
                    ? ValueTask.FromException<System.IO.Pipelines.IDuplexPipe>(new IOException("Connection refused"))
                    : ValueTask.FromResult(simulator.CreateConnection());
            }
        });

    [Fact]
    public async Task Starting_the_host_logs_in_and_stopping_it_logs_off_and_closes_the_client()
    {
        await using var host = SimulatedHost.Create();

        await host.Host.StartAsync().WaitAsync(SimulatedHost.Timeout);
        Assert.Equal(AmiConnectionStatus.Connected, host.Client.State.Status);
        Assert.Equal(1, host.Simulator.SessionCount);

        var logoff = host.WaitForAction("Logoff");
        await host.Host.StopAsync().WaitAsync(SimulatedHost.Timeout);

        await logoff;
        Assert.Equal(AmiConnectionStatus.Closed, host.Client.State.Status);
        Assert.Contains("AMI connection 'default' logged off and closed", host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_gives_up_waiting_for_an_unanswered_logoff_when_the_shutdown_timeout_fires()
    {
        HoldingConnection? connection = null;
        await using var host = SimulatedHost.Create(transport: simulator => AmiTransport.FromPipe(_ =>
            ValueTask.FromResult<System.IO.Pipelines.IDuplexPipe>(connection = new HoldingConnection(simulator.CreateConnection()))));
        await host.Host.StartAsync().WaitAsync(SimulatedHost.Timeout);
        connection!.Hold();   // the server no longer reads: the Logoff will get no answer
        using var shutdownTimeout = new CancellationTokenSource();

        var stopping = host.Host.StopAsync(shutdownTimeout.Token);
        Assert.Contains("Action: Logoff", await connection.Held.Task.WaitAsync(SimulatedHost.Timeout), StringComparison.Ordinal);
        Assert.False(stopping.IsCompleted);   // waiting for the answer, for up to 10 s of virtual time
        await shutdownTimeout.CancelAsync();
        await stopping.WaitAsync(SimulatedHost.Timeout);

        Assert.Contains("did not finish logging off before the host's shutdown timeout", host.Logs.All, StringComparison.Ordinal);
        var closed = host.WaitForStatus(AmiConnectionStatus.Closed);
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);   // the Logoff's own timeout ends the close
        await closed;
    }

    [Fact]
    public async Task A_lost_connection_is_reconnected_with_the_configured_policy()
    {
        await using var host = await SimulatedHost.StartAsync();

        host.Simulator.ResetConnections();
        var reconnecting = await host.WaitForStatus(AmiConnectionStatus.Reconnecting);
        Assert.Equal((1, TimeSpan.FromSeconds(2)), (reconnecting.Attempt, reconnecting.Delay));
        Assert.Equal(HealthStatus.Degraded, await Health(host));

        var connected = host.Client.States.Skip(1).FirstAsync(s => s.Status == AmiConnectionStatus.Connected).ToTask();
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        await connected.WaitAsync(SimulatedHost.Timeout);

        Assert.Equal(HealthStatus.Healthy, await Health(host));
        var pong = await host.Connection.Connection.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatedHost.Timeout);
        Assert.Equal("Pong", pong["Ping"]);
    }

    [Fact]
    public async Task A_failed_first_connection_stops_the_host_when_the_connection_is_required()
    {
        var attempts = new List<int>();
        await using var host = SimulatedHost.Create(transport: FailingFirst(1, attempts));

        var error = await Assert.ThrowsAsync<AmiConnectionException>(() => host.Host.StartAsync().WaitAsync(SimulatedHost.Timeout));

        Assert.StartsWith("AMI connection 'default' to simulator:5038 as 'obelus' failed at start-up: Could not connect", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.Single(attempts);
    }

    [Fact]
    public async Task A_failed_first_connection_is_retried_with_the_policy_when_not_required()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["RequireConnectionAtStartup"] = "false";
        var attempts = new List<int>();
        await using var host = SimulatedHost.Create(settings, transport: FailingFirst(2, attempts));

        await host.Host.StartAsync().WaitAsync(SimulatedHost.Timeout);   // the host runs without the connection
        Assert.Equal(HealthStatus.Degraded, await Health(host));

        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks - 1);
        Assert.Single(attempts);
        host.Scheduler.AdvanceBy(1);                                      // attempt 2 after 2 s: refused again
        Assert.Equal(2, attempts.Count);

        var connected = host.WaitForStatus(AmiConnectionStatus.Connected);
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(4).Ticks);          // attempt 3 after 4 s more: in
        await connected;
        Assert.Equal(3, attempts.Count);
        Assert.Equal(HealthStatus.Healthy, await Health(host));
    }

    [Fact]
    public async Task A_refused_login_at_start_is_not_retried()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["RequireConnectionAtStartup"] = "false";
        settings["Secret"] = "wrong";
        await using var host = SimulatedHost.Create(settings);
        var logins = 0;
        using var counting = host.Simulator.Actions.Where(a => a.Name == "Login").Subscribe(_ => Interlocked.Increment(ref logins));

        var login = host.WaitForAction("Login");
        var starting = host.Host.StartAsync();
        await login;
        host.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);   // the simulator's delay before refusing
        await starting.WaitAsync(SimulatedHost.Timeout);
        host.Scheduler.AdvanceBy(TimeSpan.FromMinutes(5).Ticks);

        Assert.Equal(1, Volatile.Read(ref logins));
        Assert.Equal(HealthStatus.Unhealthy, await Health(host));
        Assert.Contains("will not retry (the login was refused)", host.Logs.All, StringComparison.Ordinal);
    }
}
