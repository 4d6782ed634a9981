using Obelus.Reactive.Cli;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

public class CommandLineTests
{
    [Theory]
    [InlineData("originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x")]
    [InlineData("originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x", "--exten", "1", "--application", "Echo")]
    [InlineData("demo", "--calls", "-1")]
    [InlineData("simulate", "--port", "70000")]
    [InlineData("originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x", "--exten", "1", "--timeout", "0")]
    [InlineData("no-such-command")]
    public async Task Invalid_command_lines_are_usage_errors_with_a_non_zero_exit(params string[] args)
    {
        using var console = new CliConsole();

        var exit = await Program.BuildRoot(console.Console, console.Error).Parse(args).InvokeAsync();

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task Originate_without_a_reachable_server_exits_1()
    {
        using var console = new CliConsole();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var exit = await Program.BuildRoot(console.Console, console.Error)
            .Parse(["originate", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", "u", "--secret", "s", "--channel", "Local/1@x", "--exten", "1", "--context", "x"])
            .InvokeAsync()
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exit);
        Assert.StartsWith("obelus: cannot connect", console.Error.ToString(), StringComparison.Ordinal);
    }
}
