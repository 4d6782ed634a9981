using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Obelus.Reactive.Tests.Client;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>Secrets stay out of logs, exceptions and ToString(); refused credentials are not retried in a loop.</summary>
public sealed class SecretTests
{
    private const string Secret = "Zq-secret-7781-xyzzy";

    [Theory]
    [InlineData(AmiAuthType.Plain, true)]
    [InlineData(AmiAuthType.Plain, false)]
    [InlineData(AmiAuthType.Md5, true)]
    [InlineData(AmiAuthType.Md5, false)]
    public async Task No_log_line_exception_or_ToString_shows_the_secret_or_the_md5_key(AmiAuthType authType, bool succeeds)
    {
        var clock = new TestScheduler();
        var serverLog = new CapturingLogger();
        var clientLog = new CapturingLogger();
        var simulatorOptions = new AmiSimulatorOptions { Scheduler = clock, Secret = Secret, Logger = serverLog, FailedLoginDelay = TimeSpan.Zero };
        await using var simulator = new AmiSimulator(simulatorOptions);
        var options = new AmiClientOptions { Host = "sim", Username = "obelus", Secret = succeeds ? Secret : Secret + "-wrong", AuthType = authType, KeepAliveInterval = null };
        var login = simulator.Actions.FirstAsync(a => a.Name == "Login").ToTask();
        await using var client = new AmiClient(options, AmiTransport.FromPipe(_ => ValueTask.FromResult(simulator.CreateConnection())), clock, clientLog);

        Exception? failure = null;
        try
        {
            await client.ConnectAsync().WaitAsync(SimulatorClientHarness.Safety);
            await client.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatorClientHarness.Safety);
        }
        catch (AmiAuthenticationException ex)
        {
            failure = ex;
        }

        var key = (await login.WaitAsync(SimulatorClientHarness.Safety))["Key"];
        await client.DisposeAsync();
        Assert.Equal(succeeds, failure is null);
        Assert.NotEmpty(clientLog.Lines);
        Assert.NotEmpty(serverLog.Lines);
        var exposed = new List<string>(clientLog.Lines.Concat(serverLog.Lines))
        {
            options.ToString(),
            simulatorOptions.ToString(),
            new AmiAction("Login").Add("Username", "obelus").Add("Secret", Secret).ToString(),
        };
        if (failure is not null)
        {
            exposed.Add(failure.ToString());
        }

        foreach (var text in exposed)
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            if (key is not null)
            {
                Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            }
        }

        Assert.Equal(authType == AmiAuthType.Md5, key is not null);
    }

    [Fact]
    public async Task A_login_refused_while_reconnecting_closes_the_client_with_the_reason_instead_of_retrying()
    {
        await using var h = new SimulatorClientHarness();
        await using var changedPassword = new AmiSimulator(new AmiSimulatorOptions { Scheduler = h.Clock, Secret = "rotated", FailedLoginDelay = TimeSpan.Zero });
        await h.ConnectAsync();
        h.ConnectTo = changedPassword.CreateConnection;

        h.Simulator.ResetConnections();
        await h.LostAsync();
        var reconnecting = await h.StateAsync(AmiConnectionStatus.Reconnecting);
        h.Clock.AdvanceBy(reconnecting.Delay.Ticks);
        var closed = await h.StateAsync(AmiConnectionStatus.Closed);
        h.Clock.AdvanceBy(TimeSpan.FromHours(1).Ticks);

        var refused = Assert.IsType<AmiAuthenticationException>(closed.Reason);
        Assert.Contains("obelus", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Connections);
        Assert.Equal(AmiConnectionStatus.Closed, h.Client.State.Status);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Client.SendAsync(new AmiAction("Ping")));
    }
}
