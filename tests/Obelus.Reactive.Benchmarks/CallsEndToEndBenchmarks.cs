using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// Following calls against receiving events, side by side on the same stream: concurrent calls
/// of every outcome recorded on a real Asterisk, streamed over loopback TCP. <c>Events</c> is the
/// event path (a subscriber reading the name and two headers); <c>TrackedCalls</c> is what the
/// library exists for: the same client, <see cref="CallObservableExtensions.TrackCalls"/> over its
/// events, and a subscriber to every call's states, done when every call has ended.
/// </summary>
[Config(typeof(Config))]
public class CallsEndToEndBenchmarks
{
    private readonly BenchMetrics _metrics = new();
    private ConcurrentCallTraffic _stream = null!;
    private LoopbackBlaster _blaster = null!;
    private int _blocks;
    private long _events;
    private long _calls;
    private int _invocations;
    private long _idleWorkingSet;

    // The working set sampled during invocations after the first, against the process once it
    // has run the path (its code compiled) and been collected: the memory the burst itself takes.
    private long _warmIdleWorkingSet;
    private long _peakWhileWarm;
    private volatile bool _sampling;
    private volatile bool _stopSampler;
    private Thread? _sampler;

    /// <summary>Events per invocation (whole blocks of 300 calls, so a little more than asked).</summary>
    [ParamsSource(typeof(BenchSizes), nameof(BenchSizes.CallStreamEvents))]
    public int Events { get; set; }

    /// <summary>Events one invocation streams (known after <see cref="Setup"/>).</summary>
    public int EventsPerInvocation => (int)_events;

    [GlobalSetup]
    public void Setup()
    {
        _stream = ConcurrentCallTraffic.Load();
        _blocks = (Events + _stream.EventsPerBlock - 1) / _stream.EventsPerBlock;
        _events = (long)_blocks * _stream.EventsPerBlock;
        _calls = (long)_blocks * _stream.CallsPerBlock;
        _blaster = new LoopbackBlaster(_stream, _blocks, answerLogin: true);
        _metrics.OperationsPerInvoke = _events;
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        _idleWorkingSet = process.WorkingSet64;
        _sampler = new Thread(SampleWorkingSet) { IsBackground = true, Name = "working-set sampler" };
        _sampler.Start();
        Console.WriteLine($"// stream: {_blocks} blocks of {_stream.EventsPerBlock} events and {_stream.CallsPerBlock} calls, {_stream.BlockBytes / (double)_stream.EventsPerBlock:F0} bytes/event");
    }

    [GlobalCleanup(Targets = [nameof(EventsPath)])]
    public void CleanupEvents() => SaveAndCleanup(nameof(EventsPath));

    [GlobalCleanup(Targets = [nameof(TrackedCalls)])]
    public void CleanupCalls() => SaveAndCleanup(nameof(TrackedCalls));

    /// <summary>The event path: every event through <see cref="AmiClient.Events"/>.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> EventsPath()
    {
        _sampling = _invocations > 0;
        _metrics.Begin();
        await using var client = new AmiClient(Options());
        var seen = 0L;
        var headerBytes = 0L;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = client.Events.Subscribe(evt =>
        {
            headerBytes += evt.Name.Length + (evt["Uniqueid"]?.Length ?? 0) + (evt["Channel"]?.Length ?? 0);
            if (++seen == _events)
            {
                done.TrySetResult();
            }
        });
        await client.ConnectAsync();
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        _metrics.End(seen);
        AfterInvocation();
        GC.KeepAlive(headerBytes);
        return seen;
    }

    /// <summary>The calls path: <c>TrackCalls</c> over the events and a subscriber to every call's states.</summary>
    [Benchmark]
    public async Task<long> TrackedCalls()
    {
        _sampling = _invocations > 0;
        _metrics.Begin();
        await using var client = new AmiClient(Options());
        var ended = 0L;
        var states = 0L;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var tracking = client.Events
            .TrackCalls(ConcurrentCallTraffic.TrackingVariable)
            .Subscribe(call => call.States.Subscribe(state =>
            {
                states++;
                if (state.IsTerminal && ++ended == _calls)
                {
                    done.TrySetResult();
                }
            }));
        await client.ConnectAsync();
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        _metrics.End(_events);
        AfterInvocation();
        GC.KeepAlive(states);
        return ended;
    }

    private void AfterInvocation()
    {
        _sampling = false;
        if (++_invocations == 1)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            _warmIdleWorkingSet = Environment.WorkingSet;
        }
    }

    private void SampleWorkingSet()
    {
        while (!_stopSampler)
        {
            if (_sampling)
            {
                _peakWhileWarm = Math.Max(_peakWhileWarm, Environment.WorkingSet);
            }

            Thread.Sleep(5);
        }
    }

    private AmiClientOptions Options() => new()
    {
        Host = "127.0.0.1",
        Port = _blaster.EndPoint.Port,
        Username = "bench",
        Secret = "bench",
        KeepAliveInterval = null,
    };

    private void SaveAndCleanup(string method)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        _metrics.Set("peak_over_idle", process.PeakWorkingSet64 - _idleWorkingSet);
        _stopSampler = true;
        _sampler?.Join();
        _metrics.Set("peak_over_warm_idle", _peakWhileWarm == 0 ? 0 : _peakWhileWarm - _warmIdleWorkingSet);
        _metrics.Save(nameof(CallsEndToEndBenchmarks) + "." + method, CaseKey.Parameters((nameof(Events), Events)));
        _blaster.Dispose();
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            AddColumn(
                MetricColumn.Throughput("events"),
                MetricColumn.RatioTo(nameof(EventsPath)),
                MetricColumn.Saved("Alloc/event (all threads)", "alloc_per_op", "bytes allocated per event on every thread (GC.GetTotalAllocatedBytes(true) deltas)", format: "N0"),
                MetricColumn.Saved("CPU ns/event", "cpu_ns_per_op", "process CPU time (all threads, loopback server included) per event, median over invocations"),
                MetricColumn.Saved("Gen2/invoke", "gen2_per_invoke", "gen2 collections during an invocation (the harness's own collections between them not counted), mean over all, warm-up included", format: "N1"),
                MetricColumn.Saved("Peak over idle MB", "peak_over_idle", "peak working set above the process's working set after setup, MB", 1.0 / (1024 * 1024), "N0"),
                MetricColumn.Saved("Burst over warm idle MB", "peak_over_warm_idle", "highest working set sampled (every 5 ms) during the invocations after the first, above the working set once the first invocation had run and a full collection followed, MB", 1.0 / (1024 * 1024), "N0"));
        }
    }
}
