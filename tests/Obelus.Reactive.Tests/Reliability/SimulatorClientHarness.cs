using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Obelus.Reactive.Tests.Client;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>An <see cref="AmiClient"/> on the in-memory <see cref="AmiSimulator"/>, both on one <see cref="TestScheduler"/>.</summary>
internal sealed class SimulatorClientHarness : IAsyncDisposable
{
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    public static readonly AmiReconnectPolicy OneSecondReconnect = new() { InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 };

    /// <param name="settle">False for a test that blocks a subscriber on purpose: virtual time then does not wait for it.</param>
    public SimulatorClientHarness(Func<AmiClientOptions, AmiClientOptions>? configure = null, AmiSimulatorOptions? simulatorOptions = null, bool settle = true)
    {
        Simulator = new AmiSimulator(simulatorOptions ?? new AmiSimulatorOptions { Scheduler = Clock, FailedLoginDelay = TimeSpan.Zero, SettleTimeout = settle ? AmiSimulatorOptions.DefaultSettleTimeout : TimeSpan.Zero });
        var options = new AmiClientOptions
        {
            Host = "sim",
            Username = "obelus",
            Secret = "obelus",
            KeepAliveInterval = null,
            Reconnect = OneSecondReconnect,
            ActionIdPrefix = "r-",
        };
        Options = configure?.Invoke(options) ?? options;
        Client = new AmiClient(Options, AmiTransport.FromPipe(_ => ValueTask.FromResult(Connect())), Clock, Log);
        Client.States.Subscribe(_history);
    }

    /// <summary>Every state the client went through, replayed to each waiter (a lost state may pass quickly).</summary>
    private readonly System.Reactive.Subjects.ReplaySubject<AmiConnectionState> _history = new();

    public TestScheduler Clock { get; } = new();

    public AmiSimulator Simulator { get; }

    public AmiClientOptions Options { get; }

    public AmiClient Client { get; }

    public CapturingLogger Log { get; } = new();

    public int Connections { get; private set; }

    /// <summary>Replaces where a new connection goes (another simulator, say).</summary>
    public Func<System.IO.Pipelines.IDuplexPipe>? ConnectTo { get; set; }

    public async Task ConnectAsync() => await Client.ConnectAsync().WaitAsync(Safety);

    /// <summary>The <paramref name="occurrence"/>-th state with <paramref name="status"/> (1-based; the initial Disconnected counts).</summary>
    public Task<AmiConnectionState> StateAsync(AmiConnectionStatus status, int occurrence = 1) =>
        _history.Where(s => s.Status == status).Skip(occurrence - 1).FirstAsync().ToTask().WaitAsync(Safety);

    /// <summary>The first loss: Disconnected with a reason.</summary>
    public Task<AmiConnectionState> LostAsync() =>
        _history.FirstAsync(s => s.Status == AmiConnectionStatus.Disconnected && s.Reason is not null).ToTask().WaitAsync(Safety);

    public Task<AmiEvent> EventAsync(Func<AmiEvent, bool> predicate) =>
        Client.Events.FirstAsync(predicate).ToTask().WaitAsync(Safety);

    /// <summary>Waits until the simulator has handled an action named <paramref name="name"/>.</summary>
    public Task<AmiRequest> HandledAsync(string name) =>
        Simulator.Actions.FirstAsync(a => a.Name == name).ToTask().WaitAsync(Safety);

    /// <summary>Sends an action the simulator will not answer (answers are switched off meanwhile) and returns it pending.</summary>
    public async Task<Task<AmiResponse>> SendUnansweredAsync(string name = "Ping")
    {
        Simulator.Faults.StopAnswering = true;
        var handled = HandledAsync(name);
        var pending = Client.SendAsync(new AmiAction(name));
        await handled;
        return pending;
    }

    /// <summary>After a loss: lets the scheduled reconnect run and waits for the new login.</summary>
    public async Task ReconnectAsync()
    {
        var reconnecting = await StateAsync(AmiConnectionStatus.Reconnecting);
        Clock.AdvanceBy(reconnecting.Delay.Ticks);
        await StateAsync(AmiConnectionStatus.Connected, 2);
    }

    /// <summary>Proves events flow: emits a burst and waits for its last event.</summary>
    public async Task<int> EventsFlowAsync(int count = 3)
    {
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Client.Events.Where(e => e.Name is not ("FullyBooted" or "SuccessfulAuth")).Subscribe(_ =>
        {
            if (Interlocked.Increment(ref received) == count)
            {
                done.TrySetResult();
            }
        });
        Simulator.EmitEventBurst(count);
        await done.Task.WaitAsync(Safety);
        return received;
    }

    private System.IO.Pipelines.IDuplexPipe Connect()
    {
        Connections++;
        return ConnectTo?.Invoke() ?? Simulator.CreateConnection();
    }

    public async ValueTask DisposeAsync()
    {
        // Disposal waits (on the virtual clock) for the Logoff answer: let the server answer it.
        Simulator.Faults.StopAnswering = false;
        await Client.DisposeAsync().AsTask().WaitAsync(Safety);
        await Simulator.DisposeAsync().AsTask().WaitAsync(Safety);
    }
}
