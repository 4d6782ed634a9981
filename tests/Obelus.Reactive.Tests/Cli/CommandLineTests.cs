using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Obelus.Reactive.Cli;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>Usage errors and connection failures: one line on stderr, the documented exit code, no stack trace.</summary>
public class CommandLineTests
{
    private const int Usage = 2;

    [Theory]
    [InlineData("--calls must be a whole number from 0 to 1000, not '2.5'", "--calls", "2.5")]
    [InlineData("--calls must be a whole number from 0 to 1000, not '-1'", "demo", "--calls", "-1")]
    [InlineData("--seconds must be a number from 0 to 3600, not 'abc'", "--seconds", "abc")]
    [InlineData("--seconds must be a number from 0 to 3600, not 'NaN'", "--seconds", "NaN")]
    [InlineData("--seed must be a whole number", "--seed", "-3")]
    [InlineData("--port must be a whole number from 0 to 65535, not 'abc'", "simulate", "--port", "abc")]
    [InlineData("--port must be a whole number from 0 to 65535, not '70000'", "simulate", "--port", "70000")]
    [InlineData("--incoming-rate must be a number", "simulate", "--incoming-rate", "fast")]
    [InlineData("--timeout must be a whole number from 1 to", "originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x", "--exten", "1", "--timeout", "abc")]
    [InlineData("--timeout must be a whole number from 1 to", "originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x", "--exten", "1", "--timeout", "0")]
    [InlineData("--priority must be a whole number", "originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x", "--exten", "1", "--priority", "first")]
    [InlineData("--port must be a whole number from 1 to 65535, not '0'", "watch", "--user", "u", "--secret", "s", "--port", "0")]
    [InlineData("--log-level must be one of trace, debug, information, warning, error, critical, none, not 'loud'", "watch", "--user", "u", "--secret", "s", "--log-level", "loud")]
    [InlineData("Give either --context and --exten, or --application", "originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x")]
    [InlineData("Give either --context and --exten, or --application", "originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x", "--exten", "1", "--application", "Echo")]
    [InlineData("--user", "watch", "--secret", "s")]
    [InlineData("'no-such-command'", "no-such-command")]
    [InlineData("no AMI secret: pass --secret or set OBELUS_AMI_SECRET", "originate", "--user", "u", "--channel", "Local/1@x", "--exten", "1", "--port", "1")]
    [InlineData("--var 'ORDER' is not NAME=VALUE", "originate", "--user", "u", "--secret", "s", "--channel", "Local/1@x", "--exten", "1", "--var", "ORDER", "--port", "1")]
    [InlineData("--tls-server-name and --tls-trust need --tls", "watch", "--user", "u", "--secret", "s", "--tls-server-name", "pbx", "--port", "1")]
    public async Task A_usage_error_is_one_line_naming_the_problem_and_exit_2(string expected, params string[] args)
    {
        using var console = new CliConsole();
        var secret = Environment.GetEnvironmentVariable("OBELUS_AMI_SECRET");
        Assert.True(string.IsNullOrEmpty(secret), "the tests expect OBELUS_AMI_SECRET to be unset");

        var exit = await Program.RunAsync(args, console.Console, console.Error, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Usage, exit);
        AssertOneErrorLine(console, expected);
        Assert.Empty(console.Text);
    }

    [Fact]
    public async Task Simulate_on_a_port_in_use_is_a_usage_error_naming_the_port()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        using var console = new CliConsole();

        var exit = await Program.RunAsync(["simulate", "--port", port], console.Console, console.Error, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Usage, exit);
        AssertOneErrorLine(console, $"cannot listen on 127.0.0.1:{port}: the port is already in use; choose another with --port");
    }

    [Theory]
    [InlineData("originate", "--channel", "Local/1@x", "--exten", "1", "--context", "x")]
    [InlineData("watch")]
    [InlineData("watch", "--tls")]
    public async Task Without_a_reachable_server_the_command_exits_1_naming_host_and_port(params string[] args)
    {
        using var console = new CliConsole();
        var port = FreePort();

        var exit = await Program.RunAsync([.. args, "--port", port, "--user", "u", "--secret", "s"], console.Console, console.Error, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exit);
        var scheme = args.Contains("--tls") ? "tls://" : string.Empty;
        AssertOneErrorLine(console, $"cannot connect to {scheme}127.0.0.1:{port}: ");
    }

    private static void AssertOneErrorLine(CliConsole console, string expected)
    {
        var error = console.Error.ToString();
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("obelus: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        foreach (var internals in (string[])["Exception", "   at ", "(Parameter", "System.", "Int32", "Double"])
        {
            Assert.DoesNotContain(internals, line, StringComparison.Ordinal);
        }
    }

    internal static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
