using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// The <see cref="CallManager"/> following incoming calls over loopback TCP, with its observers on
/// lanes of the thread pool (the default) or called on the folding thread: what the lanes cost.
/// The stream is the end-to-end corpus (real captures, repeated with fresh ids); each repetition
/// holds one incoming IAX2 call among calls the manager does not own.
/// </summary>
[Config(typeof(Config))]
public class ManagerEndToEndBenchmarks
{
    private readonly BenchMetrics _metrics = new();
    private LoopbackBlaster _blaster = null!;
    private int _events;
    private int _calls;

    /// <summary>Events per invocation (whole repetitions, so a little more than asked).</summary>
    [ParamsSource(typeof(BenchSizes), nameof(BenchSizes.EndToEndEvents))]
    public int Events { get; set; }

    /// <summary>Where the call observers run.</summary>
    [Params(CallObserverThreading.PerObserver, CallObserverThreading.Inline)]
    public CallObserverThreading Threading { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var bytes = CallEventCorpus.Build(Events, out _events);
        _calls = _events / CallEventCorpus.Templates.Count;
        _blaster = new LoopbackBlaster(bytes, answerLogin: true);
        _metrics.OperationsPerInvoke = _events;
        Console.WriteLine($"// corpus: {_events} events, {_calls} incoming calls");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrics.Save(nameof(ManagerEndToEndBenchmarks) + "." + nameof(IncomingCalls), CaseKey.Parameters((nameof(Events), Events), (nameof(Threading), Threading)));
        _blaster.Dispose();
    }

    /// <summary>Connect, follow every incoming call to its end with a subscriber to its states.</summary>
    [Benchmark]
    public async Task<int> IncomingCalls()
    {
        _metrics.Begin();
        await using var client = new AmiClient(new AmiClientOptions
        {
            Host = "127.0.0.1",
            Port = _blaster.EndPoint.Port,
            Username = "bench",
            Secret = "bench",
            KeepAliveInterval = null,
        });
        using var manager = new CallManager(client, new CallManagerOptions { ObserverThreading = Threading });
        var ended = 0;
        var states = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var following = manager.IncomingCalls.Subscribe(call => call.States.Subscribe(state =>
        {
            Interlocked.Increment(ref states);
            if (state.IsTerminal && Interlocked.Increment(ref ended) == _calls)
            {
                done.TrySetResult();
            }
        }));
        await client.ConnectAsync();
        await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        _metrics.End(_events);
        return ended;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            AddColumn(
                MetricColumn.Throughput("events"),
                MetricColumn.Saved("Alloc/event (all threads)", "alloc_per_op", "bytes allocated per event on every thread (GC.GetTotalAllocatedBytes(true) deltas)", format: "N0"),
                MetricColumn.Saved("CPU ns/event", "cpu_ns_per_op", "process CPU time (all threads, loopback server included) per event, median over invocations"));
        }
    }
}
