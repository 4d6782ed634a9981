using Obelus.Reactive.Cli.Commands;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>
/// The demo is the main job a newcomer runs: it must finish by itself, exit 0 and show every
/// outcome. It runs in real time on loopback TCP (that is what it demonstrates), for a few seconds.
/// </summary>
public class DemoCommandTests
{
    [Fact]
    public async Task Demo_originates_every_outcome_follows_incoming_calls_and_exits_0_with_a_summary()
    {
        using var console = new CliConsole();

        var exit = await DemoCommand.RunAsync(console.Console, calls: 6, spread: TimeSpan.FromSeconds(1), seed: 1, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(0, exit);
        var text = console.Text;
        var summary = Assert.Single(console.Lines, l => l.StartsWith("Summary:", StringComparison.Ordinal));
        Assert.Contains("6 outgoing, 2 incoming", summary, StringComparison.Ordinal);
        foreach (var outcome in (string[])["Answered", "Busy", "NoAnswer", "Congestion", "Failed"])
        {
            Assert.Contains(outcome, summary, StringComparison.Ordinal);
        }

        Assert.Contains("incoming", text, StringComparison.Ordinal);
        Assert.DoesNotContain("still live", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_with_no_calls_exits_0_at_once()
    {
        using var console = new CliConsole();

        var exit = await DemoCommand.RunAsync(console.Console, calls: 0, spread: TimeSpan.Zero, seed: 1, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Contains(console.Lines, l => l.StartsWith("Summary: 0 calls", StringComparison.Ordinal));
    }
}
