using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Testing;
using Xunit;
using static Obelus.Reactive.Tests.Cli.OriginateCommandTests;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>
/// Ctrl+C as a user presses it: a real SIGINT to the built CLI running as a child process. Each
/// command must take its clean way out (log off, hang up its call, say so) and exit with its documented code.
/// </summary>
public class InterruptTests
{
    [UnixFact]
    public async Task Sigint_stops_simulate_cleanly_with_exit_0()
    {
        using var cli = CliProcess.Start("simulate", "--port", "0");
        await cli.WaitForLineAsync(l => l.StartsWith("Press Ctrl+C", StringComparison.Ordinal));

        await cli.InterruptAsync();

        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.EndsWith("Stopped.", cli.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, cli.Error);
    }

    [UnixFact]
    public async Task Sigint_stops_watch_cleanly_logging_off_with_exit_0()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        var logoff = simulator.Actions.FirstAsync(a => a.Name == "Logoff").ToTask();
        using var cli = CliProcess.Start("watch", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus");
        await cli.WaitForLineAsync(l => l.Contains("connected to", StringComparison.Ordinal));

        await cli.InterruptAsync();

        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.EndsWith("Stopped.", cli.Output, StringComparison.Ordinal);
        await logoff.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(string.Empty, cli.Error);
    }

    [UnixFact]
    public async Task Sigint_makes_originate_hang_up_its_call_and_exit_130()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);
        var hangup = simulator.Actions.FirstAsync(a => a.Name == "Hangup").ToTask();
        using var cli = CliProcess.Start("originate", "--port", Port(endpoint), "--user", "obelus", "--secret", "obelus",
            "--channel", "Local/long@default", "--context", "default", "--exten", "100");
        await cli.WaitForLineAsync(l => l.Contains("state Up", StringComparison.Ordinal));

        await cli.InterruptAsync();

        Assert.Equal(130, await cli.WaitForExitAsync());
        var sent = await hangup.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("Local/long@default-", sent["Channel"], StringComparison.Ordinal);
        Assert.Contains($"obelus: interrupted; hung up {sent["Channel"]}.", cli.Error, StringComparison.Ordinal);
        Assert.Matches(@"Ended +outcome Answered, dial ANSWER, cause 16 \(Normal Clearing\)$", cli.Output);
    }

    [UnixFact]
    public async Task Sigint_stops_the_demo_with_its_summary_and_exit_130()
    {
        using var cli = CliProcess.Start("--calls", "6", "--seconds", "600");
        await cli.WaitForLineAsync(l => l.Contains("Queued", StringComparison.Ordinal));

        await cli.InterruptAsync();

        Assert.Equal(130, await cli.WaitForExitAsync());
        Assert.Contains("Summary: ", cli.Output, StringComparison.Ordinal);
        Assert.Contains("Interrupted with ", cli.Output, StringComparison.Ordinal);
    }
}
