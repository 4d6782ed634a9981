using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>The three queries of docs/calls.md, as written there, run against scripted calls.</summary>
public class DocumentedQueryTests : ReactiveTest
{
    private static readonly OriginateRequest Request = new() { Channel = "PJSIP/alice", Context = "default", Exten = "100" };

    /// <summary>Scripts the server: odd call ids are answered, even ones busy, <paramref name="after"/> after the Originate (at once without a scheduler).</summary>
    private static void AnswerOddBusyEven(FakeAmiConnection connection, IScheduler? scheduler, TimeSpan after)
    {
        connection.AutoRespond = action => Queued(action.ActionId!);
        connection.AfterSend = action => Run(() =>
        {
            var id = action["ChannelId"]!;
            var answered = int.Parse(action["Variable"]!.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1;
            connection.Push(Newchannel(id, "PJSIP/alice-00000001", id));
            if (answered)
            {
                connection.Push(Newstate(id, 6, id, "PJSIP/alice-00000001"));
            }

            connection.Push(OriginateResponse(action.ActionId!, answered, answered ? 4 : 5, answered ? id : "<unknown>"));
            connection.Push(Hangup(id, answered ? 16 : 17, id));
        });

        void Run(Action push)
        {
            if (scheduler is null)
            {
                push();
            }
            else
            {
                scheduler.Schedule(after, push);
            }
        }
    }

    [Fact]
    public async Task Awaiting_the_end_of_a_call_gives_its_terminal_state()
    {
        using var connection = new FakeAmiConnection();
        AnswerOddBusyEven(connection, scheduler: null, TimeSpan.Zero);
        using var manager = new CallManager(connection, FakeAmiConnection.InlineOptions, scheduler: new TestScheduler());
        var request = Request;
        var ends = new List<CallState>();
        var console = new List<string>();

        for (var i = 0; i < 2; i++)
        {
            // From docs/calls.md (Console.WriteLine replaced by a list):
            CallState end = await manager.Originate(request).LastAsync();
            if (end.Outcome != CallOutcome.Answered)
            {
                console.Add($"Call {end.CallId} not answered: {end.Outcome} ({end.HangupCauseText})");
            }

            ends.Add(end);
        }

        Assert.Equal([CallOutcome.Answered, CallOutcome.Busy], ends.Select(e => e.Outcome));
        Assert.Equal(["Call 2 not answered: Busy (User busy)"], console);
    }

    [Fact]
    public void Counting_answered_calls_per_minute_gives_one_count_per_minute()
    {
        var scheduler = new TestScheduler();
        using var connection = new FakeAmiConnection();
        AnswerOddBusyEven(connection, scheduler, TimeSpan.FromSeconds(5));
        using var manager = new CallManager(connection, FakeAmiConnection.InlineOptions, scheduler: scheduler);
        var requests = Observable.Interval(TimeSpan.FromSeconds(20), scheduler).Take(6).Select(_ => Request);

        // From docs/calls.md:
        IObservable<int> answeredPerMinute = requests
            .SelectMany(request => manager.Originate(request))
            .Where(state => state.IsTerminal && state.Outcome == CallOutcome.Answered)
            .Buffer(TimeSpan.FromMinutes(1), scheduler)
            .Select(batch => batch.Count);

        var observer = scheduler.CreateObserver<int>();
        using var subscription = answeredPerMinute.Subscribe(observer);
        scheduler.Start();

        // Calls go out at 20, 40, ... 120 s and end 5 s later; 1, 3 and 5 are answered.
        observer.Messages.AssertEqual(
            OnNext(Seconds(60), 1),
            OnNext(Seconds(120), 2),
            OnNext(Seconds(125), 0),
            OnCompleted<int>(Seconds(125)));
    }

    [Fact]
    public void Reacting_to_incoming_calls_from_one_caller_id_sees_only_that_caller()
    {
        using var connection = new FakeAmiConnection();
        using var manager = new CallManager(connection, FakeAmiConnection.InlineOptions, scheduler: new TestScheduler());
        var lines = new List<string>();

        // From docs/calls.md (Console.WriteLine replaced by a list):
        IDisposable watch = manager.IncomingCalls
            .Where(call => call.CallerIdNumber == "4569")
            .SelectMany(call => call.States.LastAsync())
            .Subscribe(end => lines.Add($"{end.CallId} from 4569: {end.Outcome}"));

        connection.Push(Newchannel("s1", "SIP/other-1", "s1"));
        connection.Push(Newstate("s1", 4, "s1"));
        foreach (var amiEvent in Capture.Read("incoming_iax2").OfType<AmiEvent>())
        {
            connection.Push(amiEvent);
        }

        connection.Push(Hangup("s1", 16));
        watch.Dispose();

        Assert.Equal(["1795682169.79 from 4569: Answered"], lines);
    }

    private static long Seconds(int seconds) => TimeSpan.FromSeconds(seconds).Ticks;
}
