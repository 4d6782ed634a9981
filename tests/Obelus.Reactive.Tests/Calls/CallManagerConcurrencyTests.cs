using System.Collections.Concurrent;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;
using Xunit;
using static Obelus.Reactive.Tests.Calls.CallEvents;

namespace Obelus.Reactive.Tests.Calls;

public class CallManagerConcurrencyTests
{
    private const int Threads = 16;
    private const int CallsPerThread = 150;

    [Fact]
    public async Task Sixteen_threads_originating_at_once_get_distinct_well_formed_calls()
    {
        using var connection = new FakeAmiConnection();
        using var lastSent = new ThreadLocal<AmiAction?>();
        connection.AfterSend = action => lastSent.Value = action;

        // Each thread then plays the server for its own call, so responses and events of
        // different calls interleave across threads.
        void PlayServer(AmiAction action)
        {
            var id = action["ChannelId"]!;
            var other = action["OtherChannelId"]!;
            connection.Respond(action.ActionId!, Queued(action.ActionId!));
            connection.Push(Newchannel(id, "Local/100@default-1;1", id));
            connection.Push(Newchannel(other, "Local/100@default-1;2", id, state: 4));
            connection.Push(Newstate(other, 6, id, "Local/100@default-1;2"));
            connection.Push(Newstate(id, 6, id, "Local/100@default-1;1"));
            connection.Push(OriginateResponse(action.ActionId!, true, 4, id));
            connection.Push(Hangup(id, 16, id));
            connection.Push(Hangup(other, 16, id));
        }

        using var manager = new CallManager(connection, FakeAmiConnection.InlineOptions);
        var request = new OriginateRequest { Channel = "Local/100@default", Context = "default", Exten = "100" };
        var sequences = new ConcurrentDictionary<string, List<CallState>>();
        var completed = new CountdownEvent(Threads * CallsPerThread);
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < CallsPerThread; i++)
            {
                var states = new List<CallState>();
                manager.Originate(request).Subscribe(
                    state =>
                    {
                        lock (states)
                        {
                            states.Add(state);
                        }
                    },
                    error => allDone.TrySetException(error),
                    () =>
                    {
                        sequences[states[0].CallId] = states;
                        if (completed.Signal())
                        {
                            allDone.TrySetResult();
                        }
                    });
                PlayServer(lastSent.Value!);
            }
        })).ToList();
        threads.ForEach(t => t.Start());

        await allDone.Task.WaitAsync(TimeSpan.FromSeconds(60));
        threads.ForEach(t => t.Join());

        Assert.Equal(Threads * CallsPerThread, sequences.Count);
        Assert.Equal(Enumerable.Range(1, Threads * CallsPerThread).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), sequences.Keys.Order());
        Assert.All(sequences.Values, states =>
        {
            Assert.Equal([CallChange.Queued, CallChange.StateChanged, CallChange.Ended], states.Select(s => s.Change));
            Assert.Equal(CallOutcome.Answered, states[2].Outcome);
            Assert.Equal(2, states[1].UniqueIds.Count);
            Assert.All(states, s => Assert.Equal(states[0].CallId, s.CallId));
        });
        Assert.Equal(0, manager.RetainedEntries);
        Assert.Empty(manager.TrackedCalls);
    }
}
