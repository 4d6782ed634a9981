using System.Buffers;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Benchmarks;

/// <summary>
/// The call fold at <see cref="LiveCalls"/> live calls on a real server's traffic: the calls of
/// the recording of 300 calls placed at once on Asterisk 22 (every outcome, Local channels,
/// dials, bridges, device states; about 32 events per call), copied with fresh ids as
/// <see cref="ConcurrentCallTraffic"/> makes them, and interleaved so that the live count stays
/// put: each call's events up to its first hangup request are its start, the rest its end, and
/// a round writes the start of <see cref="CallsPerRound"/> new calls, each next to the end of the
/// oldest live one.
/// </summary>
/// <remarks>
/// <see cref="CallFoldBenchmarks"/> is the fold's worst case: seven events a call, so every
/// event pays a seventh of a call's creation and of its collection. Here the same work is spread
/// over a real call's events, most of which a fold only reads. The fold runs as
/// <c>TrackCalls</c> runs it (unknown tracking values adopted, incoming calls tracked).
/// <see cref="ParseAndFold"/> minus <see cref="ParseOnly"/> is what the fold adds per event.
/// </remarks>
[Config(typeof(Config))]
public class RecordedCallFoldBenchmarks
{
    private static readonly DateTimeOffset Epoch = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly BenchMetrics _metrics = new();
    private ConcurrentCallTraffic _traffic = null!;
    private IReadOnlyList<List<(int Offset, int Length)>> _calls = [];
    private int[] _splits = [];
    private CallTracker _tracker = null!;
    private RoundWriter _writer = null!;
    private byte[] _wire = [];
    private int _wireLength;
    private int _roundEvents;
    private long _nextCall;
    private long _oldestLive;

    /// <summary>Calls alive at once.</summary>
    [ParamsSource(typeof(BenchSizes), nameof(BenchSizes.LiveCalls))]
    public int LiveCalls { get; set; }

    /// <summary>Calls started (and as many ended) in one round.</summary>
    public int CallsPerRound => LiveCalls / 5;

    /// <summary>Events in the round <see cref="NextRound"/> wrote last.</summary>
    public int RoundEvents => _roundEvents;

    [GlobalSetup]
    public void Setup()
    {
        _traffic = ConcurrentCallTraffic.Load();
        _calls = _traffic.EventsByCall();
        var template = _traffic.CreateBuffer();
        _splits = [.. _calls.Select(call => FirstHangupRequest(template, call))];
        _tracker = NewTracker();
        _nextCall = 0;
        _oldestLive = 0;

        _writer = new RoundWriter(this);

        // The first calls' starts, a chunk at a time, so the setup never holds them all as text.
        while (_nextCall < LiveCalls)
        {
            var chunk = (int)Math.Min(10_000, LiveCalls - _nextCall);
            _writer.Begin();
            for (var i = 0; i < chunk; i++)
            {
                _writer.Start(_nextCall++);
            }

            var (wire, length) = _writer.Written();
            WireRound.ParseAndFold(_tracker, wire, length, Epoch);
        }

        _metrics.Set("live_calls_start", _tracker.CallCount);
        _metrics.OperationsPerInvoke = 1;
    }

    /// <summary>Writes one round: <see cref="CallsPerRound"/> calls start while as many of the oldest end.</summary>
    [IterationSetup]
    public void NextRound()
    {
        _writer.Begin();
        for (var i = 0; i < CallsPerRound; i++)
        {
            _writer.Start(_nextCall++);
            _writer.End(_oldestLive++);
        }

        (_wire, _wireLength) = _writer.Written();
        _roundEvents = _writer.Events;
        _metrics.OperationsPerInvoke = _roundEvents;

        // As in CallFoldBenchmarks: what the round setup made is not the round's garbage.
        GC.Collect();
    }

    [GlobalCleanup(Target = nameof(ParseAndFold))]
    public void CleanupParseAndFold() => Save(nameof(ParseAndFold));

    [GlobalCleanup(Target = nameof(ParseOnly))]
    public void CleanupParseOnly() => Save(nameof(ParseOnly));

    /// <summary>Parses one round from AMI text and folds each event as it is parsed, as the client does.</summary>
    [Benchmark]
    public long ParseAndFold()
    {
        _metrics.Begin();
        var (events, produced) = WireRound.ParseAndFold(_tracker, _wire, _wireLength, Epoch);
        _metrics.End(CheckEvents(events));
        return produced;
    }

    /// <summary>Only parses the round <see cref="ParseAndFold"/> parses and folds.</summary>
    [Benchmark]
    public long ParseOnly()
    {
        _metrics.Begin();
        var (events, headers) = WireRound.ParseOnly(_wire, _wireLength);
        _metrics.End(CheckEvents(events));
        return headers;
    }

    /// <summary>The round <see cref="NextRound"/> wrote, parsed into events (for folding them alone, see <see cref="FoldParsed"/>).</summary>
    public List<AmiEvent> ParseRound() => WireRound.ParseToList(_wire, _wireLength);

    /// <summary>Folds events <see cref="ParseRound"/> parsed: the fold with no parse around it.</summary>
    public long FoldParsed(List<AmiEvent> events)
    {
        _metrics.Begin();
        var produced = WireRound.Fold(_tracker, CollectionsMarshal.AsSpan(events), Epoch);
        _metrics.End(CheckEvents(events.Count));
        return produced;
    }

    private int CheckEvents(int events) =>
        events == _roundEvents ? events : throw new InvalidOperationException($"Parsed {events} events of {_roundEvents}.");

    private void Save(string method)
    {
        _metrics.Set("calls_total", _nextCall);
        _metrics.Set("live_calls_end", _tracker.CallCount);
        _metrics.Set("events_per_call", _traffic.EventsPerBlock / (double)_calls.Count);
        _metrics.Save(nameof(RecordedCallFoldBenchmarks) + "." + method, CaseKey.Parameters((nameof(LiveCalls), LiveCalls)));
    }

    /// <summary>
    /// Where a call's end starts: its first hangup request or hangup, so that no call ends before
    /// its end is written and the live count holds (half its events for a call with none).
    /// </summary>
    private static int FirstHangupRequest(byte[] block, List<(int Offset, int Length)> call)
    {
        for (var i = 0; i < call.Count; i++)
        {
            var name = block.AsSpan(call[i].Offset + "Event: ".Length);
            name = name[..name.IndexOf((byte)'\r')];
            if (name.SequenceEqual("Hangup"u8) || name.SequenceEqual("HangupRequest"u8) || name.SequenceEqual("SoftHangupRequest"u8))
            {
                return i;
            }
        }

        return call.Count / 2;
    }

    private static CallTracker NewTracker() =>
        new(new CallTrackerSettings(ConcurrentCallTraffic.TrackingVariable, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), AdoptUnknownTrackingValues: true), NullLogger.Instance)
        {
            TrackIncoming = true,
        };

    /// <summary>
    /// Appends calls' starts and ends as wire bytes, filling each block's copy of the recording
    /// once. One writer serves every round: a round is some 240 MB of text, and a new buffer for
    /// each (with its growth and a copy) left the round's first collections to pay for putting
    /// that much memory back, a cost of the setup, not of the body timed after it.
    /// </summary>
    private sealed class RoundWriter(RecordedCallFoldBenchmarks owner)
    {
        private readonly ArrayBufferWriter<byte> _wire = new(1 << 20);
        private readonly byte[] _startBlock = owner._traffic.CreateBuffer();
        private readonly byte[] _endBlock = owner._traffic.CreateBuffer();
        private long _startBlockNumber = -1;
        private long _endBlockNumber = -1;

        public int Events { get; private set; }

        public void Start(long call) => Write(call, _startBlock, ref _startBlockNumber, start: true);

        public void End(long call) => Write(call, _endBlock, ref _endBlockNumber, start: false);

        /// <summary>Starts a round: what was written before is overwritten.</summary>
        public void Begin()
        {
            _wire.ResetWrittenCount();
            Events = 0;
        }

        /// <summary>The round written since <see cref="Begin"/>: the writer's own array, valid until the next round.</summary>
        public (byte[] Wire, int Length) Written() => WireRound.Written(_wire);

        private void Write(long call, byte[] block, ref long blockNumber, bool start)
        {
            var perBlock = owner._calls.Count;
            var number = call / perBlock;
            if (number != blockNumber)
            {
                // Block 0 of the recording is the recording itself; copies count from 1.
                owner._traffic.Fill(block, (int)number + 1);
                blockNumber = number;
            }

            var index = (int)(call % perBlock);
            var events = owner._calls[index];
            var split = owner._splits[index];
            var (from, to) = start ? (0, split) : (split, events.Count);
            for (var i = from; i < to; i++)
            {
                var (offset, length) = events[i];
                block.AsSpan(offset, length).CopyTo(_wire.GetSpan(length));
                _wire.Advance(length);
                Events++;
            }
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
            AddColumn(
                MetricColumn.Throughput("events"),
                MetricColumn.Saved("Alloc/event", "alloc_per_op", "bytes allocated per event"),
                MetricColumn.Saved("CPU ns/event", "cpu_ns_per_op", "process CPU time per event (all threads, background GC included), median over invocations"),
                MetricColumn.GcPause("event"),
                MetricColumn.Saved("Live calls at start", "live_calls_start", "calls the fold followed once the first calls' starts were folded"),
                MetricColumn.Saved("Live calls at end", "live_calls_end", "calls the fold followed after the last round"),
                MetricColumn.Saved("Events/call", "events_per_call", "events of one recorded call, on average"));
        }
    }
}
