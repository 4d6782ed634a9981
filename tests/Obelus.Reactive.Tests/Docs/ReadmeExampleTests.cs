using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Docs;

/// <summary>The examples of README.md, as written there.</summary>
public class ReadmeExampleTests
{
    // README.md, "A first example", as written there.
    private const string FirstExample = """
        var options = new AmiClientOptions { Host = "127.0.0.1", Port = 5038, Username = "obelus", Secret = "obelus" };
        await using var client = new AmiClient(options);

        // Subscribe before connecting: events start at login.
        using var hangups = client.Events
            .Where(e => e.Is("Hangup"))
            .Subscribe(e => Console.WriteLine($"{e["Channel"]} hung up: {e["Cause-txt"]}"));

        await client.ConnectAsync();
        AmiResponse pong = await client.SendAsync(new AmiAction("Ping"));
        Console.WriteLine(pong["Ping"]);   // Pong
        """;

    [Fact]
    public void Readme_first_example_is_the_code_this_test_runs()
    {
        var readme = RepositoryFiles.Read("README.md").ReplaceLineEndings("\n");

        Assert.Contains(FirstExample.ReplaceLineEndings("\n"), readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readme_example_connects_subscribes_and_pings()
    {
        await using var simulator = new AmiSimulator();
        var endpoint = await simulator.StartTcpAsync(0);

        var pong = await ReadmeExample(endpoint.Port).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Pong", pong);
    }

    private static async Task<string?> ReadmeExample(int port)
    {
        // FirstExample; only the port differs (a free one instead of 5038).
        var options = new AmiClientOptions { Host = "127.0.0.1", Port = port, Username = "obelus", Secret = "obelus" };
        await using var client = new AmiClient(options);

        // Subscribe before connecting: events start at login.
        using var hangups = client.Events
            .Where(e => e.Is("Hangup"))
            .Subscribe(e => Console.WriteLine($"{e["Channel"]} hung up: {e["Cause-txt"]}"));

        await client.ConnectAsync();
        AmiResponse pong = await client.SendAsync(new AmiAction("Ping"));
        Console.WriteLine(pong["Ping"]);   // Pong
        return pong["Ping"];
    }

    [Fact]
    public async Task Readme_testing_example_runs_a_whole_call_in_virtual_time()
    {
        // From README.md, "Testing your own code", verbatim (checked by the test below).
        // README testing example begins
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        var transport = AmiTransport.FromPipe(_ => ValueTask.FromResult(simulator.CreateConnection()));
        await using var client = await AmiClient.ConnectAsync(
            new AmiClientOptions { Host = "sim", Username = "obelus", Secret = "obelus", KeepAliveInterval = null },
            transport, scheduler);
        using var manager = new CallManager(client, scheduler: scheduler);

        // Exten 1000 of the simulated dialplan answers, talks for 30 seconds and hangs up.
        var states = new List<CallState>();
        using var call = manager.Originate(new OriginateRequest { Channel = "Local/long@default", Context = "default", Exten = "1000" })
            .Subscribe(states.Add);
        scheduler.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);   // the whole call, in no wall time

        Assert.Equal(CallOutcome.Answered, states[^1].Outcome);
        var answered = states.First(s => s.ChannelState == ChannelState.Up);
        Assert.Equal(TimeSpan.FromSeconds(30), states[^1].Timestamp - answered.Timestamp);
        // README testing example ends
    }

    [Fact]
    public void Readme_testing_example_is_the_code_the_test_above_runs()
    {
        // Read from the checkout, not from CallerFilePath: a CI build maps source paths to /_/.
        var source = RepositoryFiles.Read("tests/Obelus.Reactive.Tests/Docs/ReadmeExampleTests.cs").ReplaceLineEndings("\n").Split('\n');
        var begin = Array.FindIndex(source, l => l.Trim() == "// README testing example begins");
        var end = Array.FindIndex(source, l => l.Trim() == "// README testing example ends");
        var code = string.Join("\n", source[(begin + 1)..end].Select(l => l.Length >= 8 ? l[8..] : l.Trim()));
        var readme = RepositoryFiles.Read("README.md").ReplaceLineEndings("\n");

        Assert.True(begin > 0 && end > begin);
        Assert.Contains("```csharp\n" + code + "\n```", readme, StringComparison.Ordinal);
    }
}
