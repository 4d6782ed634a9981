using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Globalization;
using System.Text.Json;
using Obelus.Reactive.Cli;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

/// <summary><c>originate</c> and <c>watch</c> against the simulator on loopback TCP, as they would run against a real Asterisk.</summary>
public class RealServerCommandTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Originate_follows_the_call_to_its_end_prints_json_lines_and_exits_0()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var exit = await Program.BuildRoot(console.Console, console.Error)
            .Parse(["originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus", "--md5",
                "--channel", "Local/busy@default", "--context", "default", "--exten", "100", "--caller-id", "\"Cli\" <42>", "--var", "ORDER=7", "--json"])
            .InvokeAsync()
            .WaitAsync(Safety);

        Assert.Equal(0, exit);
        var lines = console.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("Queued", lines[0].GetProperty("change").GetString());
        Assert.Equal("Ended", lines[^1].GetProperty("change").GetString());
        Assert.Equal("Busy", lines[^1].GetProperty("outcome").GetString());
        Assert.All(lines, l => Assert.Equal("outgoing", l.GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task Originate_with_a_refused_login_exits_1()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { FailedLoginDelay = TimeSpan.Zero });
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();

        var exit = await Program.BuildRoot(console.Console, console.Error)
            .Parse(["originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "wrong", "--channel", "Local/answer@default", "--context", "default", "--exten", "100"])
            .InvokeAsync()
            .WaitAsync(Safety);

        Assert.Equal(1, exit);
        Assert.StartsWith("obelus: login refused", console.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", console.Text + console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_shows_incoming_calls_until_cancelled_and_exits_0()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        using var console = new CliConsole();
        using var stop = new CancellationTokenSource();
        var connected = simulator.Actions.FirstAsync(a => a.Name == "Login").ToTask();

        var watching = Program.BuildRoot(console.Console, console.Error)
            .Parse(["watch", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus"])
            .InvokeAsync(cancellationToken: stop.Token);
        await connected.WaitAsync(Safety);
        var ended = await WaitForIncomingCallToEnd(simulator, console).WaitAsync(Safety);
        await stop.CancelAsync();
        var exit = await watching.WaitAsync(Safety);

        Assert.Equal(0, exit);
        Assert.Contains("Caller <5550100>", ended, StringComparison.Ordinal);
        Assert.Contains("outcome=Answered", ended, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForIncomingCallToEnd(AmiSimulator simulator, CliConsole console)
    {
        // The watcher subscribes to incoming calls right after logging in; a call placed before that
        // would be missed, so place calls until one is seen to end (each lasts a fraction of a second).
        while (true)
        {
            simulator.SimulateIncomingCall("\"Caller\" <5550100>", "900", answer: true, TimeSpan.FromMilliseconds(100));
            var seen = await System.Reactive.Linq.Observable.Interval(TimeSpan.FromMilliseconds(50))
                .Select(_ => console.Lines.FirstOrDefault(l => l.Contains("incoming", StringComparison.Ordinal) && l.Contains("Ended", StringComparison.Ordinal)))
                .Take(40)
                .FirstOrDefaultAsync(l => l is not null);
            if (seen is not null)
            {
                return seen;
            }
        }
    }

    private static string Port(System.Net.IPEndPoint endpoint) => endpoint.Port.ToString(CultureInfo.InvariantCulture);
}
