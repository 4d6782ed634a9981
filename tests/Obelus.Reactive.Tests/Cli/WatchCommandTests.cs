using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Cli;
using Obelus.Reactive.Testing;
using Xunit;
using static Obelus.Reactive.Tests.Cli.OriginateCommandTests;

namespace Obelus.Reactive.Tests.Cli;

/// <summary><c>watch</c> against the simulator on loopback TCP: what it shows, how it follows the connection, how it ends.</summary>
public class WatchCommandTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Watch_shows_incoming_calls_with_control_characters_neutralised_and_exits_0_with_a_logoff_when_stopped()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();
        using var stop = new CancellationTokenSource();
        var logoff = simulator.Actions.FirstAsync(a => a.Name == "Logoff").ToTask();

        var watching = Program.RunAsync(["watch", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus"], console.Console, console.Error, stop.Token);
        await console.WaitForLineAsync(l => l.Contains("connected to", StringComparison.Ordinal));

        // A caller name that would retitle the window, clear the screen and turn the text red.
        simulator.SimulateIncomingCall("\"Eve\u001b]0;pwned\u0007\u001b[2J\u001b[31m\u009b1m\u202e\" <5550100>", "900", answer: true, TimeSpan.FromMilliseconds(100));
        var ended = await console.WaitForLineAsync(l => l.Contains("incoming", StringComparison.Ordinal) && l.Contains("Ended", StringComparison.Ordinal));
        await stop.CancelAsync();
        var exit = await watching.WaitAsync(Safety);

        Assert.Equal(0, exit);
        Assert.Contains(@"Eve\x1B]0;pwned\x07\x1B[2J\x1B[31m\x9B1m\u202E <5550100>", ended, StringComparison.Ordinal);
        Assert.Contains("outcome=Answered", ended, StringComparison.Ordinal);
        Assert.DoesNotContain(console.Text + console.Error, c => char.IsControl(c) && c is not '\n' and not '\r');
        Assert.Equal("Stopped.", console.Lines[^1]);
        await logoff.WaitAsync(Safety);
    }

    [Fact]
    public async Task Watch_reconnects_by_default_shows_the_connection_state_and_follows_calls_after_it()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();
        using var stop = new CancellationTokenSource();
        var server = $"127.0.0.1:{Port(endpoint)}";
        var secondLogin = simulator.Actions.Where(a => a.Name == "Login").Skip(1).FirstAsync().ToTask();

        var watching = Program.RunAsync(["watch", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus"], console.Console, console.Error, stop.Token);
        // Only once it is logged in: a reset before the connection exists would reset nothing.
        await console.WaitForLineAsync(l => l.Contains("connected to", StringComparison.Ordinal));
        simulator.ResetConnections();
        await console.WaitForLineAsync(l => l.Contains($"connection to {server} lost; reconnecting in", StringComparison.Ordinal));
        await secondLogin.WaitAsync(Safety);
        await console.WaitForLineAsync(l => l.Contains($"connected to {server}", StringComparison.Ordinal), occurrence: 2);
        simulator.SimulateIncomingCall("\"After\" <5550199>", "900", answer: true, TimeSpan.FromMilliseconds(100));
        await console.WaitForLineAsync(l => l.Contains("After <5550199>", StringComparison.Ordinal) && l.Contains("Ended", StringComparison.Ordinal));
        await stop.CancelAsync();

        Assert.Equal(0, await watching.WaitAsync(Safety));
        Assert.Equal(string.Empty, console.Error.ToString());
    }

    [Fact]
    public async Task Watch_with_no_reconnect_exits_1_when_the_connection_is_lost()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var watching = Program.RunAsync(["watch", "--no-reconnect", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus"], console.Console, console.Error, CancellationToken.None);
        // Only once it is logged in: a reset before the connection exists would reset nothing.
        await console.WaitForLineAsync(l => l.Contains("connected to", StringComparison.Ordinal));
        simulator.ResetConnections();
        var exit = await watching.WaitAsync(Safety);

        Assert.Equal(1, exit);
        Assert.StartsWith($"obelus: connection to 127.0.0.1:{Port(endpoint)} lost", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_exits_1_when_the_login_is_refused_on_a_reconnect()
    {
        // The server comes back on the same port with other credentials: retrying cannot help.
        var first = new AmiSimulator();
        var endpoint = await first.StartTcpAsync(0);
        using var console = new CliConsole();
        var watching = Program.RunAsync(["watch", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus"], console.Console, console.Error, CancellationToken.None);
        await console.WaitForLineAsync(l => l.Contains("connected to", StringComparison.Ordinal));
        await first.DisposeAsync();
        await console.WaitForLineAsync(l => l.Contains("reconnecting in", StringComparison.Ordinal));
        await using var second = new AmiSimulator(new AmiSimulatorOptions { Secret = "changed", FailedLoginDelay = TimeSpan.Zero });
        await second.StartTcpAsync(endpoint.Port);

        var exit = await watching.WaitAsync(Safety);

        Assert.Equal(1, exit);
        Assert.StartsWith($"obelus: login to 127.0.0.1:{Port(endpoint)} refused", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_with_a_refused_login_exits_1()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { FailedLoginDelay = TimeSpan.Zero });
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var exit = await Program.RunAsync(["watch", "--port", Port(endpoint), "--user", "obelus", "--secret", "nope"], console.Console, console.Error, CancellationToken.None)
            .WaitAsync(Safety);

        Assert.Equal(1, exit);
        Assert.StartsWith($"obelus: login to 127.0.0.1:{Port(endpoint)} refused", console.Error.ToString(), StringComparison.Ordinal);
    }
}
