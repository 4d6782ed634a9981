using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>State subscribers run without the client's lock held, so they may wait on anything that takes it.</summary>
public sealed class AmiClientStateDeliveryTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_state_subscriber_may_wait_for_work_that_needs_the_client_lock()
    {
        await using var simulator = new AmiSimulator();
        var options = new AmiClientOptions { Host = "sim", Username = "obelus", Secret = "obelus", KeepAliveInterval = null };
        await using var client = await AmiClient.ConnectAsync(options, AmiTransport.FromPipe(_ => ValueTask.FromResult(simulator.CreateConnection())));
        var lockFree = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = client.States.Where(s => s.Status == AmiConnectionStatus.Disconnected).Take(1).Subscribe(_ =>
        {
            // ConnectAsync takes the client's lock first thing: under a held lock this waits forever.
            var connecting = Task.Run(() => client.ConnectAsync());
            lockFree.TrySetResult(((IAsyncResult)connecting).AsyncWaitHandle.WaitOne(Safety));
        });

        simulator.ResetConnections();

        Assert.True(await lockFree.Task.WaitAsync(TimeSpan.FromSeconds(30)), "the state subscriber ran under the client's lock");
    }

    [Fact]
    public async Task States_keep_their_order_and_a_late_subscriber_starts_from_the_current_one()
    {
        await using var simulator = new AmiSimulator();
        var options = new AmiClientOptions { Host = "sim", Username = "obelus", Secret = "obelus", KeepAliveInterval = null };
        var client = new AmiClient(options, AmiTransport.FromPipe(_ => ValueTask.FromResult(simulator.CreateConnection())));
        var all = client.States.Select(s => s.Status).ToList().ToTask();

        await client.ConnectAsync();
        var late = await client.States.FirstAsync().ToTask();
        await client.DisposeAsync();

        Assert.Equal(AmiConnectionStatus.Connected, late.Status);
        Assert.Equal(
            [AmiConnectionStatus.Disconnected, AmiConnectionStatus.Connecting, AmiConnectionStatus.Connected, AmiConnectionStatus.Closing, AmiConnectionStatus.Closed],
            await all.WaitAsync(Safety));
    }
}
