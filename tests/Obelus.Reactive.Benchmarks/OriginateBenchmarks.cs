using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// Originate round trips against the simulator over loopback TCP (real time): an async
/// Originate to an extension that answers at once, counted done when its
/// <c>OriginateResponse</c> event (matched by ActionID) arrives; with 1, 16 or 256 in flight.
/// </summary>
/// <remarks>
/// The simulator spaces the steps of a call by 1 ms on its scheduler (Newchannel, dialplan,
/// answer, OriginateResponse), so one originate in flight is bound by timer resolution, not by
/// the client; more in flight shows what the client and the simulator sustain together.
/// </remarks>
[Config(typeof(Config))]
public class OriginateBenchmarks
{
    private readonly BenchMetrics _metrics = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<AmiEvent>> _waiting = new(StringComparer.Ordinal);
    private AmiSimulator _simulator = null!;
    private AmiClient _client = null!;
    private IDisposable _subscription = null!;
    private long _next;

    /// <summary>Originates in flight at once.</summary>
    [Params(1, 16, 256)]
    public int InFlight { get; set; }

    /// <summary>Loopback TCP (both sides' sockets) or the simulator's in-memory pipe.</summary>
    [Params("tcp", "pipe")]
    public string Transport { get; set; } = "tcp";

    /// <summary>Originates per invocation: fewer with one in flight, where each waits for the previous one.</summary>
    private int Count => BenchSizes.Originates(InFlight);

    [GlobalSetup]
    public void Setup()
    {
        var dialplan = SimulatedDialplan.CreateDefault()
            .Add("bench", ScriptedDestination.Answer(talkTime: TimeSpan.Zero, ringTime: TimeSpan.Zero));
        _simulator = new AmiSimulator(new AmiSimulatorOptions(), dialplan);
        var port = Transport == "tcp" ? _simulator.StartTcpAsync().GetAwaiter().GetResult().Port : 5038;
        var transport = Transport == "tcp" ? null : AmiTransport.FromPipe(_ => ValueTask.FromResult(_simulator.CreateConnection()));
        _client = new AmiClient(new AmiClientOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "obelus",
            Secret = "obelus",
            KeepAliveInterval = null,
            ActionTimeout = TimeSpan.FromSeconds(30),
        }, transport);
        _subscription = _client.Events.Subscribe(evt =>
        {
            if (evt.Is("OriginateResponse") && evt.ActionId is { } id && _waiting.TryRemove(id, out var done))
            {
                done.TrySetResult(evt);
            }
        });
        _client.ConnectAsync().GetAwaiter().GetResult();
        _metrics.OperationsPerInvoke = Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrics.Save(nameof(OriginateBenchmarks) + "." + nameof(Originate), CaseKey.Parameters((nameof(InFlight), InFlight), (nameof(Transport), Transport)));
        _subscription.Dispose();
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _simulator.Dispose();
    }

    /// <summary><see cref="Count"/> originates, <see cref="InFlight"/> at a time, each done at its OriginateResponse.</summary>
    [Benchmark]
    public async Task<int> Originate()
    {
        _metrics.Begin();
        var issued = 0;
        var answered = 0;
        var workers = new Task[InFlight];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (Interlocked.Increment(ref issued) <= Count)
                {
                    var response = await OriginateOnceAsync();
                    if (response.HeaderEquals("Response", "Success"))
                    {
                        Interlocked.Increment(ref answered);
                    }
                }
            });
        }

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));
        _metrics.End(Count);
        return answered == Count ? answered : throw new InvalidOperationException($"{Count - answered} of {Count} originates did not succeed.");
    }

    private async Task<AmiEvent> OriginateOnceAsync()
    {
        var id = "bench-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<AmiEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = done;
        var action = new AmiAction("Originate")
            .Add("Channel", "Local/bench@default")
            .Add("Context", "default")
            .Add("Exten", "bench")
            .Add("Priority", "1")
            .Add("Async", "true");
        action.ActionId = id;
        await _client.SendAsync(action);
        return await done.Task;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            AddColumn(
                MetricColumn.Throughput("originates"),
                MetricColumn.Saved("Alloc/originate (all threads)", "alloc_per_op", "bytes allocated per originate on every thread, simulator included"),
                MetricColumn.Saved("CPU us/originate", "cpu_ns_per_op", "process CPU time per originate (client and simulator), median over invocations", 1e-3, "N1"));
        }
    }
}
