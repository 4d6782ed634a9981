using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>
/// Server faults injected with the simulator's switches: each is reported, fails what was pending
/// with a typed exception, ends every wait, and with a reconnect policy the client comes back
/// with events flowing on the same observable.
/// </summary>
[Collection(SerialLoadTests.Name)]
public sealed class FaultTests
{
    [Fact]
    public async Task Server_closing_mid_message_reports_the_truncation_fails_pending_actions_and_reconnects()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        var truncated = h.Client.ProtocolErrors.FirstAsync().ToTask();
        var pending = await h.SendUnansweredAsync();

        h.Simulator.Faults.StopAnswering = false;
        h.Simulator.CloseConnectionsMidMessage();

        var lost = await h.LostAsync();
        Assert.Equal(AmiProtocolError.TruncatedMessage, (await truncated.WaitAsync(SimulatorClientHarness.Safety)).Error);
        Assert.Contains("closed the connection", lost.Reason!.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AmiConnectionException>(() => pending.WaitAsync(SimulatorClientHarness.Safety));
        await h.ReconnectAsync();
        Assert.Equal(3, await h.EventsFlowAsync());
    }

    [Fact]
    public async Task Connection_reset_fails_pending_actions_with_the_io_error_and_reconnects()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        var pending = await h.SendUnansweredAsync();

        h.Simulator.ResetConnections();

        var lost = await h.LostAsync();
        Assert.Contains("reset", lost.Reason!.Message, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<AmiConnectionException>(() => pending.WaitAsync(SimulatorClientHarness.Safety));
        Assert.IsType<IOException>(error.InnerException);
        h.Simulator.Faults.StopAnswering = false;
        await h.ReconnectAsync();
        Assert.Equal(3, await h.EventsFlowAsync());
        Assert.Contains(h.Log.Lines, l => l.StartsWith("Warning: AMI connection lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_half_open_connection_is_found_by_keep_alive_alone_and_reconnected()
    {
        await using var h = new SimulatorClientHarness(o => o with
        {
            KeepAliveInterval = TimeSpan.FromSeconds(20),
            KeepAliveTimeout = TimeSpan.FromSeconds(10),
            ActionTimeout = TimeSpan.FromHours(1),
        });
        await h.ConnectAsync();
        var pending = await h.SendUnansweredAsync("Status");

        var ping = h.HandledAsync("Ping");
        h.Clock.AdvanceBy(TimeSpan.FromSeconds(20).Ticks);
        await ping;
        h.Clock.AdvanceBy(TimeSpan.FromSeconds(10).Ticks - 1);
        Assert.Equal(AmiConnectionStatus.Connected, h.Client.State.Status);
        h.Clock.AdvanceBy(1);

        var lost = await h.LostAsync();
        Assert.Contains("Keep-alive", lost.Reason!.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AmiConnectionException>(() => pending.WaitAsync(SimulatorClientHarness.Safety));
        h.Simulator.Faults.StopAnswering = false;
        await h.ReconnectAsync();
        Assert.Equal(3, await h.EventsFlowAsync());
    }

    [Fact]
    public async Task An_unanswered_action_times_out_on_the_virtual_clock_with_a_typed_exception()
    {
        await using var h = new SimulatorClientHarness(o => o with { ActionTimeout = TimeSpan.FromSeconds(5) });
        await h.ConnectAsync();
        var pending = await h.SendUnansweredAsync();

        h.Clock.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);

        var error = await Assert.ThrowsAsync<AmiTimeoutException>(() => pending.WaitAsync(SimulatorClientHarness.Safety));
        Assert.Contains("Ping", error.Message, StringComparison.Ordinal);
        Assert.Equal(AmiConnectionStatus.Connected, h.Client.State.Status);
    }

    [Fact]
    public async Task An_action_answered_twice_completes_once_and_the_copy_is_logged_and_ignored()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        h.Simulator.Faults.DuplicateResponses = true;

        var first = await h.Client.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatorClientHarness.Safety);
        var second = await h.Client.SendAsync(new AmiAction("Getvar").Add("Variable", "EPOCH")).WaitAsync(SimulatorClientHarness.Safety);

        Assert.Equal("Pong", first["Ping"]);
        Assert.NotNull(second["Value"]);
        Assert.NotEqual(first.ActionId, second.ActionId);
        Assert.Contains(h.Log.Lines, l => l.Contains($"unknown ActionID '{first.ActionId}'", StringComparison.Ordinal));
        Assert.Equal(AmiConnectionStatus.Connected, h.Client.State.Status);
    }

    [Fact]
    public async Task A_response_with_an_unknown_action_id_is_logged_and_ignored()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        h.Simulator.Faults.ResponsesWithUnknownActionId = true;

        var pong = await h.Client.SendAsync(new AmiAction("Ping")).WaitAsync(SimulatorClientHarness.Safety);

        Assert.Equal("Pong", pong["Ping"]);
        Assert.Contains(h.Log.Lines, l => l.Contains("unknown ActionID 'stray-1'", StringComparison.Ordinal));
        Assert.Equal(AmiConnectionStatus.Connected, h.Client.State.Status);
    }

    [Fact]
    public async Task Events_for_channels_never_announced_are_published_as_they_are()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        var ghost = h.EventAsync(e => e.Name == "Hangup");

        h.Simulator.InjectRaw("Event: Newstate\r\nChannel: PJSIP/ghost-00000001\r\nUniqueid: 1.999\r\nLinkedid: 1.999\r\nChannelState: 6\r\n\r\nEvent: Hangup\r\nChannel: PJSIP/ghost-00000001\r\nUniqueid: 1.999\r\nCause: 16\r\n\r\n"u8);

        Assert.Equal("1.999", (await ghost)["Uniqueid"]);
        Assert.Equal(3, await h.EventsFlowAsync());
    }

    [Fact]
    public async Task A_one_megabyte_event_over_the_default_line_limit_is_skipped_reported_and_the_next_event_arrives()
    {
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        var error = h.Client.ProtocolErrors.FirstAsync().ToTask();
        var next = h.EventAsync(e => e.Name == "After");

        h.Simulator.InjectRaw(OneMegabyteEvent());
        h.Simulator.InjectRaw("Event: After\r\n\r\n"u8);

        Assert.Equal(AmiProtocolError.LineTooLong, (await error.WaitAsync(SimulatorClientHarness.Safety)).Error);
        await next;
        Assert.Contains(h.Log.Lines, l => l.StartsWith("Warning: AMI protocol error", StringComparison.Ordinal));
        Assert.Equal(AmiConnectionStatus.Connected, h.Client.State.Status);
    }

    [Fact]
    public async Task A_one_megabyte_event_parses_with_a_raised_line_limit()
    {
        await using var h = new SimulatorClientHarness(o => o with { ReaderOptions = new AmiReaderOptions { MaxLineLength = 2 * 1024 * 1024 } });
        await h.ConnectAsync();
        var big = h.EventAsync(e => e.Name == "Big");

        h.Simulator.InjectRaw(OneMegabyteEvent());

        Assert.Equal(1024 * 1024, (await big)["Payload"]!.Length);
    }

    [Fact]
    public async Task A_burst_of_100000_events_arrives_whole_and_in_order()
    {
        const int Count = 100_000;
        await using var h = new SimulatorClientHarness();
        await h.ConnectAsync();
        var uniqueids = new List<string>(Count);
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = h.Client.Events.Where(e => e.Name is not ("FullyBooted" or "SuccessfulAuth")).Subscribe(e =>
        {
            if (e["Uniqueid"] is { } uniqueid)
            {
                uniqueids.Add(uniqueid);
            }

            if (++received == Count)
            {
                done.TrySetResult();
            }
        });

        h.Simulator.EmitEventBurst(Count);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(50));

        Assert.Equal(Count, received);
        Assert.True(uniqueids.Count > Count / 2);
        var sequence = uniqueids.Select(u => long.Parse(u[(u.IndexOf('.', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sequence.Order(), sequence);
        Assert.Equal(0, h.Client.EventsDropped);
    }

    private static byte[] OneMegabyteEvent() =>
        Encoding.ASCII.GetBytes("Event: Big\r\nPayload: " + new string('x', 1024 * 1024) + "\r\n\r\n");
}
