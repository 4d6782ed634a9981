using System.Collections.Concurrent;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class AmiClientActionTests
{
    [Fact]
    public async Task Responses_arriving_out_of_order_complete_the_right_actions()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();

        var first = harness.Client.SendAsync(new AmiAction("Getvar").Add("Variable", "A"));
        var second = harness.Client.SendAsync(new AmiAction("Getvar").Add("Variable", "B"));
        var a = await server.NextActionAsync();
        var b = await server.NextActionAsync();
        Assert.NotEqual(a.ActionId, b.ActionId);

        await server.RespondAsync(b, "Success", ("Variable", "B"), ("Value", "2"));
        await server.RespondAsync(a, "Success", ("Variable", "A"), ("Value", "1"));

        Assert.Equal("1", (await first.WaitAsync(FakeAmiServer.Safety))["Value"]);
        Assert.Equal("2", (await second.WaitAsync(FakeAmiServer.Safety))["Value"]);
    }

    [Fact]
    public async Task Generated_action_ids_are_unique_across_sixteen_threads_sending_at_once()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        const int threads = 16;
        const int perThread = 25;
        var actions = new ConcurrentBag<AmiAction>();
        var start = new Barrier(threads);

        var senders = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                var sent = new List<Task<AmiResponse>>();
                for (var i = 0; i < perThread; i++)
                {
                    var action = new AmiAction("Ping");
                    actions.Add(action);
                    sent.Add(harness.Client.SendAsync(action));
                }

                return sent;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        var responses = (await Task.WhenAll(senders).WaitAsync(FakeAmiServer.Safety)).SelectMany(s => s).ToArray();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < threads * perThread; i++)
        {
            var request = await server.NextActionAsync();
            Assert.True(ids.Add(request.ActionId!), $"duplicate ActionID {request.ActionId}");
            await server.RespondAsync(request, "Success", ("Ping", "Pong"));
        }

        var answered = await Task.WhenAll(responses).WaitAsync(FakeAmiServer.Safety);
        Assert.Equal(threads * perThread, answered.Select(r => r.ActionId).Distinct().Count());
        Assert.All(answered, r => Assert.Equal("Pong", r["Ping"]));
        Assert.All(actions, a => Assert.Null(a.ActionId));
    }

    [Fact]
    public async Task An_error_response_fails_the_action_with_the_response_attached()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();

        var sending = harness.Client.SendAsync(new AmiAction("Getvar").Add("Channel", "Local/nonexistent-0000;1").Add("Variable", "X_TRACK"));
        var request = await server.NextActionAsync();
        await server.RespondAsync(request, "Error", ("Message", "No such channel"));

        var error = await Assert.ThrowsAsync<AmiActionException>(() => sending.WaitAsync(FakeAmiServer.Safety));
        Assert.Equal("Getvar", error.ActionName);
        Assert.Equal("No such channel", error.Response.Message);
    }

    [Fact]
    public async Task Events_sent_before_the_response_are_published_in_order_and_the_response_still_matches()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var received = new List<AmiEvent>();
        var threeEvents = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = harness.Client.Events.Subscribe(e =>
        {
            received.Add(e);
            if (received.Count == 3)
            {
                threeEvents.TrySetResult();
            }
        });

        var originate = harness.Client.SendAsync(new AmiAction("Originate").Add("Channel", "Local/100@default"));
        var request = await server.NextActionAsync();
        await server.SendEventAsync("Newchannel", ("Uniqueid", "1.1"));
        await server.SendEventAsync("Newstate", ("Uniqueid", "1.1"), ("ChannelStateDesc", "Up"));
        await server.SendEventAsync("OriginateResponse", ("ActionID", request.ActionId!), ("Response", "Success"));
        await server.RespondAsync(request, "Success", ("Message", "Originate successfully queued"));

        var response = await originate.WaitAsync(FakeAmiServer.Safety);
        await threeEvents.Task.WaitAsync(FakeAmiServer.Safety);
        Assert.Equal("Originate successfully queued", response.Message);
        Assert.Equal(["Newchannel", "Newstate", "OriginateResponse"], received.Select(e => e.Name));
    }

    [Fact]
    public async Task Command_output_is_returned_in_the_output_header_form()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();

        var command = harness.Client.CommandAsync("core show uptime");
        var request = await server.NextActionAsync();
        Assert.Equal("core show uptime", request["Command"]);
        await server.RespondAsync(request, "Success", ("Message", "Command output follows"), ("Output", "System uptime: 2 minutes, 22 seconds"), ("Output", "Last reload: 2 minutes, 22 seconds"));

        Assert.Equal(["System uptime: 2 minutes, 22 seconds", "Last reload: 2 minutes, 22 seconds"], await command.WaitAsync(FakeAmiServer.Safety));
    }

    [Fact]
    public async Task Command_output_is_returned_in_the_legacy_follows_form()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();

        var command = harness.Client.CommandAsync("core show uptime");
        var request = await server.NextActionAsync();
        await server.SendRawAsync($"Response: Follows\r\nPrivilege: Command\r\nActionID: {request.ActionId}\r\nSystem uptime: 5 seconds\r\nLast reload: 5 seconds\r\n--END COMMAND--\r\n\r\n");

        Assert.Equal(["System uptime: 5 seconds", "Last reload: 5 seconds"], await command.WaitAsync(FakeAmiServer.Safety));
    }

    [Fact]
    public async Task An_unknown_cli_command_fails_with_its_output_in_the_error()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();

        var command = harness.Client.CommandAsync("no such command here");
        var request = await server.NextActionAsync();
        await server.RespondAsync(request, "Error", ("Message", "Command output follows"), ("Output", "No such command 'no such command here'"));

        var error = await Assert.ThrowsAsync<AmiActionException>(() => command.WaitAsync(FakeAmiServer.Safety));
        Assert.Equal(["No such command 'no such command here'"], error.Response.Output);
    }

    [Fact]
    public async Task Action_timeout_fires_exactly_at_the_action_timeout_and_not_before()
    {
        await using var harness = new ClientHarness(o => o with { ActionTimeout = TimeSpan.FromSeconds(7) });
        var server = await harness.ConnectAsync();
        var start = harness.Scheduler.Clock;

        var sending = harness.Client.SendAsync(new AmiAction("Ping"));
        _ = await server.NextActionAsync();
        harness.Scheduler.AdvanceTo(start + TimeSpan.FromSeconds(7).Ticks - 1);
        Assert.False(sending.IsCompleted);

        harness.Scheduler.AdvanceBy(1);
        var error = await Assert.ThrowsAsync<AmiTimeoutException>(() => sending.WaitAsync(FakeAmiServer.Safety));
        Assert.Contains("'Ping'", error.Message, StringComparison.Ordinal);
        Assert.Contains("waiting for its response", error.Message, StringComparison.Ordinal);
        Assert.Contains("read loop waiting for data from the server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_an_action_throws_and_forgets_it_so_a_late_response_is_ignored()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        using var cts = new CancellationTokenSource();

        var sending = harness.Client.SendAsync(new AmiAction("Ping"), cts.Token);
        var request = await server.NextActionAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(FakeAmiServer.Safety));
        await server.RespondAsync(request, "Success", ("Ping", "Pong"));

        // The connection is still usable after the stray response.
        server.AutoPong = true;
        var next = await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety);
        Assert.Equal("Pong", next["Ping"]);
    }

    [Fact]
    public async Task Losing_the_connection_fails_every_pending_action_with_a_connection_exception()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();

        var first = harness.Client.SendAsync(new AmiAction("Ping"));
        var second = harness.Client.SendAsync(new AmiAction("Status"));
        _ = await server.NextActionAsync();
        _ = await server.NextActionAsync();
        await server.CloseAsync();

        await Assert.ThrowsAsync<AmiConnectionException>(() => first.WaitAsync(FakeAmiServer.Safety));
        await Assert.ThrowsAsync<AmiConnectionException>(() => second.WaitAsync(FakeAmiServer.Safety));
        var state = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Disconnected);
        Assert.IsType<AmiConnectionException>(state.Reason);
        await Assert.ThrowsAsync<AmiConnectionException>(() => harness.Client.SendAsync(new AmiAction("Ping")));
    }
}
