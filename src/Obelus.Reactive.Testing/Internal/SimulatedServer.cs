using Obelus.Reactive.Client;
using System.Buffers;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>
/// The state of the simulated Asterisk: sessions, channels, counters. Every change happens under
/// one gate, from a session's action or from a step scheduled on the scheduler.
/// </summary>
internal sealed partial class SimulatedServer : IDisposable
{
    private const long PlausibleEpoch = 1_795_682_138;
    private readonly Lock _gate = new();
    private readonly List<SimulatorSession> _sessions = [];
    private readonly List<SimChannel> _channels = [];
    private readonly Dictionary<string, string> _globals = new(StringComparer.Ordinal);
    private readonly Subject<AmiRequest> _actions = new();
    private readonly ISubject<AmiRequest> _actionsSerialized;
    private readonly Random _random;
    private readonly long _epoch;
    private readonly DateTimeOffset _startedAt;
    private int _uniqueSequence;
    private int _localSequence;
    private int _sessionSequence;
    private int _callsProcessed;
    private int _strayResponses;

    public SimulatedServer(AmiSimulatorOptions options, SimulatedDialplan dialplan, AmiSimulatorFaults faults)
    {
        Options = options;
        Dialplan = dialplan;
        Faults = faults;
        Logger = options.Logger ?? NullLogger.Instance;
        var scheduler = SimulatorDefaults.Scheduler(options.Scheduler);

        // Only a virtual clock waits for what is in flight: on a real one time passes anyway.
        var settle = scheduler is VirtualTimeSchedulerBase<long, long> or VirtualTimeSchedulerBase<DateTimeOffset, TimeSpan> ? options.SettleTimeout : TimeSpan.Zero;
        Gauge = new WorkGauge(settle, Logger);
        Scheduler = new SettlingScheduler(scheduler, () => Gauge);
        _random = new Random(options.Seed);
        _startedAt = Scheduler.Now;
        // A virtual clock (TestScheduler starts at year 1) gets a plausible wall-clock epoch instead.
        _epoch = options.UniqueidEpoch ?? Math.Max(_startedAt.ToUnixTimeSeconds(), PlausibleEpoch);
        _actionsSerialized = Subject.Synchronize(_actions);
    }

    public AmiSimulatorOptions Options { get; }

    public SimulatedDialplan Dialplan { get; }

    public AmiSimulatorFaults Faults { get; }

    /// <summary>Every delay of the simulator runs here: settled first when the clock is virtual (see <see cref="WorkGauge"/>).</summary>
    public IScheduler Scheduler { get; }

    /// <summary>What the in-memory connections and their clients have in flight.</summary>
    public WorkGauge Gauge { get; }

    public ILogger Logger { get; }

    public IObservable<AmiRequest> Actions => _actionsSerialized;

    public int SessionCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    public int ChannelCount
    {
        get
        {
            lock (_gate)
            {
                return _channels.Count;
            }
        }
    }

    /// <summary>Registers a new connection and queues the greeting line (no blank line after it).</summary>
    public SimulatorSession Accept(System.IO.Pipelines.IDuplexPipe transport, string localAddress, string remoteAddress, Action? abort = null, InMemoryLink? link = null)
    {
        lock (_gate)
        {
            var session = new SimulatorSession(++_sessionSequence, transport, this, localAddress, remoteAddress, abort, link);
            _sessions.Add(session);
            session.Send(Encoding.ASCII.GetBytes("Asterisk Call Manager/" + Options.BannerVersion + "\r\n"));
            LogMessages.SessionOpened(Logger, session.Id, remoteAddress);
            return session;
        }
    }

    public void OnSessionEnded(SimulatorSession session)
    {
        lock (_gate)
        {
            _sessions.Remove(session);
        }

        LogMessages.SessionClosed(Logger, session.Id);
    }

    public void OnTruncatedInput(SimulatorSession session, AmiProtocolException error) =>
        LogMessages.TruncatedInput(Logger, session.Id, error.Message);

    /// <summary>Closes every session after writing the first half of one more event (a cut-off message).</summary>
    public void CloseSessionsMidMessage()
    {
        lock (_gate)
        {
            var bytes = Serialize(AmiEventGenerator.CreateEvent(_random, _epoch, ++_uniqueSequence));
            foreach (var session in _sessions.ToArray())
            {
                session.Send(bytes[..(bytes.Length / 2)]);
                session.Close();
            }
        }
    }

    /// <summary>Aborts every session as a connection reset: queued output is dropped, the client sees an I/O error.</summary>
    public void ResetSessions()
    {
        lock (_gate)
        {
            foreach (var session in _sessions.ToArray())
            {
                session.Reset();
            }
        }
    }

    /// <summary>Queues raw bytes, unchecked, to every logged-in session (whatever its filters or event mask).</summary>
    public void InjectRaw(byte[] bytes)
    {
        lock (_gate)
        {
            foreach (var session in _sessions)
            {
                if (session.Authenticated)
                {
                    session.Send(bytes);
                }
            }
        }
    }

    /// <summary>Emits <paramref name="count"/> realistic call events through the normal event path.</summary>
    public void EmitBurst(int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                Broadcast(AmiEventGenerator.CreateEvent(_random, _epoch, ++_uniqueSequence));
            }
        }
    }

    /// <summary>Closes every session and cancels every scheduled call step.</summary>
    public void Shutdown()
    {
        lock (_gate)
        {
            foreach (var session in _sessions.ToArray())
            {
                session.Close();
            }

            foreach (var channel in _channels)
            {
                channel.Call?.Pending.Dispose();
            }
        }
    }

    /// <summary>Completes <see cref="Actions"/>; call after every session has ended.</summary>
    public void Dispose()
    {
        Shutdown();
        _actionsSerialized.OnCompleted();
        _actions.Dispose();
    }

    /// <summary>Handles one item read from a session; completes when the session may read on.</summary>
    public async Task HandleAsync(SimulatorSession session, AmiReadResult item, CancellationToken cancellationToken)
    {
        if (item.Error is { } error)
        {
            LogMessages.BadInput(Logger, session.Id, error.Message);
            lock (_gate)
            {
                Respond(session, AmiResponse.Create("Error", ("Message", "Missing action in request")));
            }

            return;
        }

        if (item.Message is not AmiRequest request)
        {
            lock (_gate)
            {
                Respond(session, AmiResponse.Create("Error", ("Message", "Missing action in request")));
            }

            return;
        }

        LogMessages.ActionReceived(Logger, session.Id, request.Name);
        var pending = Dispatch(session, request);

        // Published once handled (response queued, call steps scheduled), before a blocking action
        // completes, so a test knows when to advance its scheduler.
        _actionsSerialized.OnNext(request);
        if (pending is not null)
        {
            await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] Serialize(AmiMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        AmiWriter.WriteMessage(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a response to one session, applying the response faults.</summary>
    private void Respond(SimulatorSession session, AmiResponse response)
    {
        if (Faults.StopAnswering)
        {
            return;
        }

        if (Faults.ResponsesWithUnknownActionId)
        {
            var stray = AmiResponse.Create("Success", ("ActionID", "stray-" + (++_strayResponses).ToString(CultureInfo.InvariantCulture)), ("Message", "Response to an action nobody sent"));
            session.Send(Serialize(stray));
        }

        var bytes = Serialize(response);
        session.Send(bytes);
        if (Faults.DuplicateResponses)
        {
            session.Send(bytes);
        }
    }

    /// <summary>Writes list items or other direct output to one session: never filtered.</summary>
    private void SendDirect(SimulatorSession session, AmiMessage message)
    {
        if (!Faults.StopAnswering)
        {
            session.Send(Serialize(message));
        }
    }

    /// <summary>Sends an event to every logged-in session with events on, through its filters.</summary>
    private void Broadcast(AmiEvent ev)
    {
        if (Faults.StopAnswering)
        {
            return;
        }

        var bytes = Serialize(ev);
        string? text = null;
        foreach (var session in _sessions)
        {
            if (!session.Authenticated || !session.EventsOn)
            {
                continue;
            }

            if (session.Filters.Count > 0)
            {
                text ??= Encoding.UTF8.GetString(bytes);
                if (!EventFilter.Passes(session.Filters, ev.Name, text))
                {
                    continue;
                }
            }

            session.SendEvent(bytes);
        }
    }

    /// <summary>Builds and broadcasts an event: <c>Event</c>, <c>Privilege</c>, then the headers.</summary>
    // call: the call the event belongs to, so it can be held back until that call's OriginateResponse.
    private void Emit(string name, string privilege, List<AmiHeader> headers, SimCall? call = null)
    {
        headers.Insert(0, new AmiHeader("Privilege", privilege));
        headers.Insert(0, new AmiHeader("Event", name));
        var amiEvent = (AmiEvent)AmiMessage.Create(headers);
        if (call?.Held is { } held)
        {
            held.Add(amiEvent);
            return;
        }

        Broadcast(amiEvent);
    }

    private string NextUniqueid() =>
        _epoch.ToString(CultureInfo.InvariantCulture) + "." + (++_uniqueSequence).ToString(CultureInfo.InvariantCulture);

    private string NextLocalSuffix() => (++_localSequence).ToString("x8", CultureInfo.InvariantCulture);

    private static AmiResponse Reply(string status, string? actionId, params (string Name, string Value)[] headers)
    {
        var list = new List<(string, string)>(headers.Length + 1);
        if (actionId is not null)
        {
            list.Add(("ActionID", actionId));
        }

        list.AddRange(headers);
        return AmiResponse.Create(status, list);
    }

    /// <summary>The simulated wall clock: the uniqueid epoch plus the scheduler time elapsed since start.</summary>
    private DateTimeOffset WallNow => DateTimeOffset.FromUnixTimeSeconds(_epoch) + (Scheduler.Now - _startedAt);

    private static string Timestamp(DateTimeOffset now) =>
        now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    private static string Seconds(double value) => value.ToString("0.000000", CultureInfo.InvariantCulture);
}
