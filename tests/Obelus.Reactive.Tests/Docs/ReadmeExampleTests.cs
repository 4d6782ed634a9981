using System.Reactive.Linq;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Docs;

/// <summary>The first example of README.md, as written there, against the simulator on loopback TCP.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public async Task Readme_example_connects_subscribes_and_pings()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Secret = "s3cret" });
        var endpoint = await simulator.StartTcpAsync(0);

        var pong = await ReadmeExample(endpoint.Port).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Pong", pong);
    }

    private static async Task<string?> ReadmeExample(int port)
    {
        // From README.md, "A first example"; only the port differs.
        var options = new AmiClientOptions { Host = "127.0.0.1", Port = port, Username = "obelus", Secret = "s3cret" };
        await using var client = await AmiClient.ConnectAsync(options);

        using var hangups = client.Events
            .Where(e => e.Is("Hangup"))
            .Subscribe(e => Console.WriteLine($"{e["Channel"]} hung up: {e["Cause-txt"]}"));

        AmiResponse pong = await client.SendAsync(new AmiAction("Ping"));
        Console.WriteLine(pong["Ping"]);   // Pong
        return pong["Ping"];
    }
}
