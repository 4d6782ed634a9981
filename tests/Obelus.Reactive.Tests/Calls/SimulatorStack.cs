using Microsoft.Reactive.Testing;
using Obelus.Reactive.Client;
using Obelus.Reactive.Testing;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>
/// The whole stack for call tests: a real AmiClient over the in-memory simulator. The simulator
/// runs on a TestScheduler the test advances; the client (and a manager over it) keeps the default
/// scheduler, whose timers do not come due during a test.
/// </summary>
internal static class SimulatorStack
{
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    public static async Task<(AmiSimulator Simulator, TestScheduler Clock, AmiClient Client)> StartAsync(
        Func<TestScheduler, AmiSimulatorOptions>? simulator = null,
        Func<AmiClientOptions, AmiClientOptions>? client = null)
    {
        var clock = new TestScheduler();
        var server = new AmiSimulator(simulator?.Invoke(clock) ?? new AmiSimulatorOptions { Scheduler = clock });
        var clientOptions = new AmiClientOptions { Host = "sim", Username = "obelus", Secret = "obelus", KeepAliveInterval = null };
        var connected = await AmiClient.ConnectAsync(
            client?.Invoke(clientOptions) ?? clientOptions,
            AmiTransport.FromPipe(_ => ValueTask.FromResult(server.CreateConnection()))).WaitAsync(Safety);
        return (server, clock, connected);
    }
}
