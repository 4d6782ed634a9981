using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// Call events over loopback TCP into a subscriber that reads the event name and two headers:
/// the AMI client (real TCP transport, login, read loop, buffer, dispatcher, fan-out) against
/// the raw-socket ceiling and a StreamReader + Dictionary reader on the same bytes.
/// </summary>
[Config(typeof(Config))]
public class EndToEndBenchmarks
{
    private readonly BenchMetrics _metrics = new();
    private LoopbackBlaster _plain = null!;
    private LoopbackBlaster _withLogin = null!;
    private int _events;

    /// <summary>Events per invocation (whole calls, so a little more than asked).</summary>
    [ParamsSource(typeof(BenchSizes), nameof(BenchSizes.EndToEndEvents))]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var bytes = CallEventCorpus.Build(Events, out _events);
        _plain = new LoopbackBlaster(bytes);
        _withLogin = new LoopbackBlaster(bytes, answerLogin: true);
        _metrics.OperationsPerInvoke = _events;
        Console.WriteLine($"// corpus: {_events} events, {bytes.Length} bytes, {bytes.Length / (double)_events:F0} bytes/event");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _withLogin.Dispose();
    }

    [GlobalCleanup(Targets = [nameof(RawSocket)])]
    public void CleanupRaw() => SaveAndCleanup(nameof(RawSocket));

    [GlobalCleanup(Targets = [nameof(StreamReaderDictionary)])]
    public void CleanupStreamReader() => SaveAndCleanup(nameof(StreamReaderDictionary));

    [GlobalCleanup(Targets = [nameof(AmiClientEvents)])]
    public void CleanupClient() => SaveAndCleanup(nameof(AmiClientEvents));

    /// <summary>The transport ceiling: count terminators, parse nothing.</summary>
    [Benchmark]
    public async Task<long> RawSocket()
    {
        _metrics.Begin();
        var count = await Baselines.CountTerminatorsAsync(_plain.EndPoint);
        _metrics.End(count);
        return Check(count);
    }

    /// <summary>StreamReader.ReadLine and a dictionary of strings per message.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> StreamReaderDictionary()
    {
        _metrics.Begin();
        var count = await Baselines.StreamReaderDictionaryAsync(_plain.EndPoint, headers =>
            headers.TryGetValue("Event", out var name) && name.Length > 0
            && (headers.TryGetValue("Uniqueid", out var id) ? id.Length : 0) + (headers.TryGetValue("Channel", out var channel) ? channel.Length : 0) >= 0);
        _metrics.End(count);
        return Check(count);
    }

    /// <summary>The AMI client: connect, log in, receive every event through <see cref="AmiClient.Events"/>.</summary>
    [Benchmark]
    public async Task<long> AmiClientEvents()
    {
        _metrics.Begin();
        var options = new AmiClientOptions
        {
            Host = "127.0.0.1",
            Port = _withLogin.EndPoint.Port,
            Username = "bench",
            Secret = "bench",
            KeepAliveInterval = null,
        };
        var client = new AmiClient(options);
        var expected = _events;
        var seen = 0L;
        var headerBytes = 0L;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = client.Events.Subscribe(evt =>
        {
            headerBytes += evt.Name.Length + (evt["Uniqueid"]?.Length ?? 0) + (evt["Channel"]?.Length ?? 0);
            if (++seen == expected)
            {
                done.TrySetResult();
            }
        });

        // The blaster answers the Logoff of the disposal with Goodbye, then closes.
        await client.ConnectAsync();
        await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await client.DisposeAsync();
        _metrics.End(seen);
        GC.KeepAlive(headerBytes);
        return Check(seen);
    }

    private long Check(long count) =>
        count == _events ? count : throw new InvalidOperationException($"Expected {_events} events, got {count}.");

    private void SaveAndCleanup(string method)
    {
        _metrics.Save(nameof(EndToEndBenchmarks) + "." + method, CaseKey.Parameters((nameof(Events), Events)));
        Cleanup();
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            AddColumn(
                MetricColumn.Throughput("events"),
                MetricColumn.RatioTo(nameof(RawSocket)),
                MetricColumn.RatioTo(nameof(StreamReaderDictionary)),
                MetricColumn.Saved("Alloc/event (all threads)", "alloc_per_op", "bytes allocated per event on every thread (GC.GetTotalAllocatedBytes(true) deltas)", format: "N0"),
                MetricColumn.Saved("CPU ns/event", "cpu_ns_per_op", "process CPU time (all threads, loopback server included) per event, median over invocations: less sensitive to a shared machine than wall time"),
                MetricColumn.Saved("Peak WS MB", "peak_ws", "peak working set of the benchmark process, MB (includes the corpus and the loopback server)", 1.0 / (1024 * 1024), "N0"));
        }
    }
}
