using Microsoft.Reactive.Testing;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>The client against the shipped AMI simulator, in memory.</summary>
public sealed class AmiClientSimulatorTests
{
    [Fact]
    public async Task Client_logs_in_with_md5_and_runs_actions_lists_and_commands_against_the_simulator()
    {
        var clock = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = clock });
        var options = new AmiClientOptions { Host = "sim", Username = "obelus", Secret = "obelus", AuthType = AmiAuthType.Md5, KeepAliveInterval = null };
        var transport = AmiTransport.FromPipe(_ => ValueTask.FromResult(simulator.CreateConnection()));

        await using var client = await AmiClient.ConnectAsync(options, transport, clock).WaitAsync(FakeAmiServer.Safety);
        var pong = await client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety);
        var channels = await client.SendEventListAsync(new AmiAction("CoreShowChannels")).WaitAsync(FakeAmiServer.Safety);
        var unknown = await Assert.ThrowsAsync<AmiActionException>(() => client.SendAsync(new AmiAction("NoSuchAction")).WaitAsync(FakeAmiServer.Safety));

        Assert.Equal(AmiConnectionStatus.Connected, client.State.Status);
        Assert.Equal("Pong", pong["Ping"]);
        Assert.Empty(channels.Items);
        Assert.True(channels.Completion.HeaderEquals("EventList", "Complete"));
        Assert.Equal("NoSuchAction", unknown.ActionName);
    }
}
