using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Tests.Client;

/// <summary>A client over <see cref="FakeTransport"/> with a virtual clock (<see cref="ThreadSafeTestScheduler"/>).</summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    public const string Secret = "s3cr3t-Value-42";

    public ClientHarness(Func<AmiClientOptions, AmiClientOptions>? configure = null, ILogger? logger = null)
    {
        Scheduler = new ThreadSafeTestScheduler();
        Transport = new FakeTransport(Scheduler);
        var options = new AmiClientOptions
        {
            Host = "fake",
            Username = "obelus",
            Secret = Secret,
            KeepAliveInterval = null,
            ActionIdPrefix = "t-",
        };
        Client = new AmiClient(configure?.Invoke(options) ?? options, Transport, Scheduler, logger);
    }

    public ThreadSafeTestScheduler Scheduler { get; }

    public FakeTransport Transport { get; }

    public AmiClient Client { get; }

    /// <summary>Connects through the first fake server and returns it.</summary>
    public async Task<FakeAmiServer> ConnectAsync()
    {
        await Client.ConnectAsync().WaitAsync(FakeAmiServer.Safety);
        return await Transport.NextServerAsync();
    }

    /// <summary>Completes with the first state (current or future) that matches.</summary>
    /// <remarks>The test resumes on another thread, never inside the client's publication.</remarks>
    public async Task<AmiConnectionState> StateAsync(Func<AmiConnectionState, bool> predicate)
    {
        var found = new TaskCompletionSource<AmiConnectionState>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Client.States.Where(predicate).Take(1).Subscribe(s => found.TrySetResult(s), e => found.TrySetException(e), () => found.TrySetException(new InvalidOperationException("States completed first.")));
        return await found.Task.WaitAsync(FakeAmiServer.Safety);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().AsTask().WaitAsync(FakeAmiServer.Safety);
    }
}
