using System.Buffers;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// The call fold (<c>CallTracker</c>, the pure state machine under CallManager) with
/// <see cref="LiveCalls"/> incoming calls alive at once: each iteration starts that many new
/// calls and ends as many older ones, so the live count stays put while over a million calls
/// pass through in a run. Also measures the memory the fold keeps per live call, and after
/// every call has ended.
/// </summary>
/// <remarks>
/// A call is 7 events on a non-Local channel whose Linkedid is its own Uniqueid: Newchannel,
/// Newstate (Ring: it becomes an incoming call), Newexten, Newstate (Up), VarSet while it starts,
/// SoftHangupRequest and Hangup when it ends. Events are built in the iteration setup (not timed).
/// After each event the timers the fold asks for are taken, as CallEngine does (scheduling them
/// is the engine's cost, not measured here).
/// <para>
/// <see cref="Fold"/> folds events built ahead: each one is cold in the CPU caches when its turn
/// comes, which a live stream's events (parsed the moment before) never are. So the round is also
/// written out as AMI text, and <see cref="ParseAndFold"/> parses and folds it event by event
/// while <see cref="ParseOnly"/> only parses it: the difference of the two is what the fold adds
/// to an event that arrives as it does from a server.
/// </para>
/// </remarks>
[Config(typeof(Config))]
public class CallFoldBenchmarks
{
    private const int EventsPerCall = 7;
    private static readonly DateTimeOffset Epoch = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly BenchMetrics _metrics = new();
    private CallTracker _tracker = null!;
    private AmiEvent[] _round = [];
    private readonly ArrayBufferWriter<byte> _wireWriter = new(1 << 20);
    private byte[] _wire = [];
    private int _wireLength;
    private int _roundEvents;
    private bool _asWire;
    private long _nextCall;
    private long _oldestLive;

    /// <summary>Events in the round <see cref="NextRound"/> built last.</summary>
    public int RoundEvents => _roundEvents;

    /// <summary>Calls alive at once.</summary>
    [ParamsSource(typeof(BenchSizes), nameof(BenchSizes.LiveCalls))]
    public int LiveCalls { get; set; }

    [GlobalSetup(Target = nameof(Fold))]
    public void Setup()
    {
        MeasureRetained();
        SetupTracker();
    }

    [GlobalSetup(Targets = new[] { nameof(ParseAndFold), nameof(ParseOnly) })]
    public void SetupWire()
    {
        _asWire = true;
        SetupTracker();
    }

    private void SetupTracker()
    {
        _tracker = NewTracker();
        _nextCall = 1_000_000_000;
        _oldestLive = _nextCall;
        foreach (var e in StartCalls(LiveCalls))
        {
            _tracker.Apply(e, Epoch);
            _tracker.TakeTimers();
        }

        _metrics.OperationsPerInvoke = LiveCalls * (long)EventsPerCall;
    }

    /// <summary>
    /// Diagnostic pass after the measurement (code warm): one more round timed event by event, summed per event
    /// name, to show where the fold spends its time. Includes ~20 ns of timestamp overhead per event.
    /// </summary>
    private void ProfileByEvent()
    {
        NextRound();
        var ticks = new Dictionary<string, (long Ticks, long Count, long Bytes)>(StringComparer.Ordinal);
        foreach (var e in _round)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            _tracker.Apply(e, Epoch);
            _tracker.TakeTimers();
            var elapsed = System.Diagnostics.Stopwatch.GetTimestamp() - start;
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            var name = e.Name;
            ticks[name] = ticks.TryGetValue(name, out var t) ? (t.Ticks + elapsed, t.Count + 1, t.Bytes + allocated) : (elapsed, 1, allocated);
        }

        var total = ticks.Values.Sum(t => t.Ticks);
        foreach (var (name, t) in ticks.OrderByDescending(kv => kv.Value.Ticks))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// fold profile: {name,-18} {t.Count,8} events {t.Ticks * 1e9 / System.Diagnostics.Stopwatch.Frequency / t.Count,8:F0} ns/event {t.Bytes / (double)t.Count,6:F0} B/event {100.0 * t.Ticks / total,5:F1}% of time"));
        }
    }

    [IterationSetup]
    public void NextRound()
    {
        if (_asWire)
        {
            WriteRound();
        }
        else
        {
            BuildRound();
        }

        // A server's events die young: each is parsed just before it is folded. Built ahead like
        // these, they would still be in gen0 when the round starts, and the round's first
        // collections would copy all of them (hundreds of MB), a cost no real stream has.
        GC.Collect();
    }

    /// <summary>The round as events, for <see cref="Fold"/>: new calls start while as many of the oldest end, interleaved as on a busy server.</summary>
    private void BuildRound()
    {
        var round = new List<AmiEvent>(LiveCalls * EventsPerCall);
        for (var i = 0; i < LiveCalls; i++)
        {
            round.AddRange(CallStart(_nextCall++));
            round.AddRange(CallEnd(_oldestLive++));
        }

        _round = [.. round];
        _roundEvents = _round.Length;
    }

    /// <summary>
    /// The same round as AMI text, written a call at a time into one buffer that serves every
    /// round, so the setup leaves no large buffers to the timed body's collections: the whole
    /// round as events, a new buffer for its text and a copy of that were hundreds of MB per round,
    /// and the same kind of setup cost <see cref="RecordedCallFoldBenchmarks"/> about 100 ns per
    /// event of pause. Here it cost nothing measurable (docs/performance.md).
    /// </summary>
    private void WriteRound()
    {
        _wireWriter.ResetWrittenCount();
        _roundEvents = 0;
        for (var i = 0; i < LiveCalls; i++)
        {
            WriteText(CallStart(_nextCall++));
            WriteText(CallEnd(_oldestLive++));
        }

        (_wire, _wireLength) = WireRound.Written(_wireWriter);
    }

    private void WriteText(AmiEvent[] events)
    {
        foreach (var e in events)
        {
            Encoding.UTF8.GetBytes((e + "\r\n").AsSpan(), _wireWriter);
            _roundEvents++;
        }
    }

    [GlobalCleanup(Target = nameof(Fold))]
    public void Cleanup()
    {
        ProfileByEvent();
        Save(nameof(Fold));
    }

    [GlobalCleanup(Target = nameof(ParseAndFold))]
    public void CleanupParseAndFold() => Save(nameof(ParseAndFold));

    [GlobalCleanup(Target = nameof(ParseOnly))]
    public void CleanupParseOnly() => Save(nameof(ParseOnly));

    private void Save(string method)
    {
        _metrics.Set("calls_total", _nextCall - 1_000_000_000);
        _metrics.Set("live_calls_end", _tracker.CallCount);
        _metrics.Save(nameof(CallFoldBenchmarks) + "." + method, CaseKey.Parameters((nameof(LiveCalls), LiveCalls)));
    }

    /// <summary>Folds one round: <see cref="LiveCalls"/> calls start and as many end.</summary>
    [Benchmark]
    public long Fold()
    {
        _metrics.Begin();
        var produced = WireRound.Fold(_tracker, _round, Epoch);
        _metrics.End(_round.Length);
        return produced;
    }

    /// <summary>Parses one round from AMI text and folds each event as it is parsed, as the client does.</summary>
    [Benchmark]
    public long ParseAndFold()
    {
        _metrics.Begin();
        var (events, produced) = WireRound.ParseAndFold(_tracker, _wire, _wireLength, Epoch);
        _metrics.End(CheckEvents(events));
        return produced;
    }

    /// <summary>Only parses the round <see cref="ParseAndFold"/> parses and folds: the part of its time that is not the fold.</summary>
    [Benchmark]
    public long ParseOnly()
    {
        _metrics.Begin();
        var (events, headers) = WireRound.ParseOnly(_wire, _wireLength);
        _metrics.End(CheckEvents(events));
        return headers;
    }

    private int CheckEvents(int events) =>
        events == _roundEvents ? events : throw new InvalidOperationException($"Parsed {events} events of {_roundEvents}.");

    private static CallTracker NewTracker() =>
        new(new CallTrackerSettings("X_BENCHFOLD01", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), AdoptUnknownTrackingValues: false), NullLogger.Instance)
        {
            TrackIncoming = true,
        };

    /// <summary>GC.GetTotalMemory(true) before, with all calls live, and after all ended; events are built in chunks and dropped.</summary>
    private void MeasureRetained()
    {
        const long first = 2_000_000_000;

        // Calibration: build and drop the same events with no fold, so what the heap keeps from
        // garbage alone (allocator and GC bookkeeping) is known and not blamed on the fold.
        var calibrationStart = GC.GetTotalMemory(forceFullCollection: true);
        for (var start = 0; start < LiveCalls; start += 10_000)
        {
            GC.KeepAlive(StartCalls(Math.Min(10_000, LiveCalls - start), first + start));
        }

        for (var call = 0; call < LiveCalls; call++)
        {
            GC.KeepAlive(CallEnd(first + call));
        }

        _metrics.Set("garbage_only_growth", GC.GetTotalMemory(forceFullCollection: true) - calibrationStart);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var tracker = NewTracker();
        for (var start = 0; start < LiveCalls; start += 10_000)
        {
            foreach (var e in StartCalls(Math.Min(10_000, LiveCalls - start), first + start))
            {
                tracker.Apply(e, Epoch);
                tracker.TakeTimers();
            }
        }

        var live = GC.GetTotalMemory(forceFullCollection: true);
        var liveCount = tracker.CallCount;
        for (var call = 0; call < LiveCalls; call++)
        {
            foreach (var e in CallEnd(first + call))
            {
                tracker.Apply(e, Epoch);
                tracker.TakeTimers();
            }
        }

        var ended = GC.GetTotalMemory(forceFullCollection: true);
        DescribeCollections(tracker);
        var entriesAfterEnd = tracker.RetainedEntries;
        tracker = null!;
        var dropped = GC.GetTotalMemory(forceFullCollection: true);
        _metrics.Set("retained_after_drop", dropped - before);
        _metrics.Set("live_calls_measured", liveCount);
        _metrics.Set("retained_per_live_call", (live - before) / (double)LiveCalls);
        _metrics.Set("retained_after_end", ended - before);
        _metrics.Set("retained_entries_after_end", entriesAfterEnd);
    }

    /// <summary>Prints each collection the fold holds (count, capacity): where retained memory sits.</summary>
    private static void DescribeCollections(CallTracker tracker)
    {
        foreach (var field in typeof(CallTracker).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic))
        {
            // Collections of the runtime, and the fold's own maps (which are not ICollection).
            var value = field.GetValue(tracker);
            if (value?.GetType().GetProperty("Count")?.GetValue(value) is int count)
            {
                var capacity = value.GetType().GetProperty("Capacity")?.GetValue(value)
                    ?? value.GetType().GetMethod("EnsureCapacity")?.Invoke(value, [0]);
                Console.WriteLine($"// fold after all ended: {field.Name} count={count} capacity={capacity}");
            }
        }
    }

    private List<AmiEvent> StartCalls(int count, long first = -1)
    {
        var events = new List<AmiEvent>(count * 5);
        for (var i = 0; i < count; i++)
        {
            events.AddRange(CallStart(first >= 0 ? first + i : _nextCall++));
        }

        return events;
    }

    private static AmiEvent[] CallStart(long call)
    {
        var (channel, id, caller) = Names(call);
        return
        [
            ChannelEvent("Newchannel", channel, id, caller, "0", "Down", "s", "1"),
            ChannelEvent("Newstate", channel, id, caller, "4", "Ring", "s", "1"),
            AmiEvent.Create("Newexten", Channel(channel, id, caller, "4", "Ring", "900", "1").Concat([("Extension", "900"), ("Application", "Answer"), ("AppData", "")])),
            ChannelEvent("Newstate", channel, id, caller, "6", "Up", "900", "2"),
            AmiEvent.Create("VarSet", Channel(channel, id, caller, "6", "Up", "900", "2").Concat([("Variable", "BRIDGEPEER"), ("Value", "")])),
        ];
    }

    private static AmiEvent[] CallEnd(long call)
    {
        var (channel, id, caller) = Names(call);
        return
        [
            AmiEvent.Create("SoftHangupRequest", Channel(channel, id, caller, "6", "Up", "900", "3").Concat([("Cause", "16")])),
            AmiEvent.Create("Hangup", Channel(channel, id, caller, "6", "Up", "900", "3").Concat([("Cause", "16"), ("Cause-txt", "Normal Clearing")])),
        ];
    }

    private static (string Channel, string Uniqueid, string Caller) Names(long call) =>
        ("PJSIP/trunk-" + call.ToString("x8", CultureInfo.InvariantCulture),
         "1795682138." + call.ToString(CultureInfo.InvariantCulture),
         "+4930" + (call % 10_000_000).ToString("D7", CultureInfo.InvariantCulture));

    private static AmiEvent ChannelEvent(string name, string channel, string id, string caller, string state, string stateDesc, string exten, string priority) =>
        AmiEvent.Create(name, Channel(channel, id, caller, state, stateDesc, exten, priority));

    private static IEnumerable<(string, string)> Channel(string channel, string id, string caller, string state, string stateDesc, string exten, string priority) =>
    [
        ("Privilege", "call,all"),
        ("Channel", channel),
        ("ChannelState", state),
        ("ChannelStateDesc", stateDesc),
        ("CallerIDNum", caller),
        ("CallerIDName", "Bench Caller"),
        ("ConnectedLineNum", "<unknown>"),
        ("ConnectedLineName", "<unknown>"),
        ("Language", "en"),
        ("AccountCode", string.Empty),
        ("Context", "incoming"),
        ("Exten", exten),
        ("Priority", priority),
        ("Uniqueid", id),
        ("Linkedid", id),
    ];

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            AddColumn(
                MetricColumn.Throughput("events"),
                MetricColumn.Saved("Alloc/event", "alloc_per_op", "bytes allocated per folded event"),
                MetricColumn.Saved("CPU ns/event", "cpu_ns_per_op", "process CPU time per event (all threads, background GC included), median over invocations"),
                MetricColumn.GcPause("event"),
                MetricColumn.Saved("Retained/live call (B)", "retained_per_live_call", "GC.GetTotalMemory(true) growth per live call, events not kept"),
                MetricColumn.Saved("Retained after end (B)", "retained_after_end", "GC.GetTotalMemory(true) growth once every call ended"),
                MetricColumn.Saved("Retained once dropped (B)", "retained_after_drop", "the same once the fold itself is dropped: what its emptied maps' capacity held"),
                MetricColumn.Saved("Garbage-only growth (B)", "garbage_only_growth", "calibration: heap growth after building and dropping the same events with no fold"),
                MetricColumn.Saved("Entries after end", "retained_entries_after_end", "map entries the fold still holds once every call ended"),
                MetricColumn.Saved("Calls in total", "calls_total", "calls started through the benchmark tracker in this process (live ones included)"));
        }
    }
}
