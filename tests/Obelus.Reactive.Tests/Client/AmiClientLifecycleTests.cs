using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class AmiClientLifecycleTests
{
    [Fact]
    public async Task Malformed_input_is_reported_on_protocol_errors_and_the_connection_goes_on()
    {
        var logger = new CapturingLogger();
        await using var harness = new ClientHarness(logger: logger);
        var server = await harness.ConnectAsync();
        var error = harness.Client.ProtocolErrors.FirstAsync().ToTask();
        var evt = harness.Client.Events.FirstAsync().ToTask();

        await server.SendRawAsync("Bogus: first line is not Response or Event\r\n\r\n");
        await server.SendEventAsync("Newchannel", ("Uniqueid", "1.1"));

        Assert.Equal(AmiProtocolError.UnknownMessageKind, (await error.WaitAsync(FakeAmiServer.Safety)).Error);
        Assert.Equal("Newchannel", (await evt.WaitAsync(FakeAmiServer.Safety)).Name);
        Assert.Equal(AmiConnectionStatus.Connected, harness.Client.State.Status);
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("protocol", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_logoff_sent_by_the_user_closes_the_client_without_reconnecting()
    {
        await using var harness = new ClientHarness(o => o with { Reconnect = new AmiReconnectPolicy() });
        _ = await harness.ConnectAsync();
        var eventsDone = harness.Client.Events.LastOrDefaultAsync().ToTask();

        var goodbye = await harness.Client.SendAsync(new AmiAction("Logoff")).WaitAsync(FakeAmiServer.Safety);

        Assert.Equal("Goodbye", goodbye.Status);
        var closed = await harness.StateAsync(s => s.Status == AmiConnectionStatus.Closed);
        Assert.Contains("Goodbye", closed.Reason!.Message, StringComparison.Ordinal);
        Assert.Null(await eventsDone.WaitAsync(FakeAmiServer.Safety));
        Assert.Single(harness.Transport.Attempts);
    }

    [Fact]
    public async Task Disposing_fails_actions_still_pending_with_a_connection_exception()
    {
        var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var pending = harness.Client.SendAsync(new AmiAction("Status"));
        _ = await server.NextActionAsync();

        await harness.DisposeAsync();

        var error = await Assert.ThrowsAsync<AmiConnectionException>(() => pending.WaitAsync(FakeAmiServer.Safety));
        Assert.Contains("disposed", error.Message, StringComparison.Ordinal);
        Assert.Equal("Logoff", server.Received[^1].Name);
    }

    [Fact]
    public async Task A_legacy_command_answer_without_its_end_marker_is_reported_and_later_events_still_arrive()
    {
        await using var harness = new ClientHarness();
        var server = await harness.ConnectAsync();
        var error = harness.Client.ProtocolErrors.FirstAsync().ToTask();
        var evt = harness.Client.Events.FirstAsync().ToTask();

        var command = harness.Client.CommandAsync("core show uptime");
        var request = await server.NextActionAsync();
        await server.SendRawAsync($"Response: Follows\r\nPrivilege: Command\r\nActionID: {request.ActionId}\r\nSystem uptime: 1 hour\n\r\n");
        await server.SendEventAsync("Newchannel", ("Uniqueid", "1.1"));

        Assert.Contains("END COMMAND", (await error.WaitAsync(FakeAmiServer.Safety)).Message, StringComparison.Ordinal);
        Assert.Equal("Newchannel", (await evt.WaitAsync(FakeAmiServer.Safety)).Name);

        // The command fails with the protocol error at once, no virtual time passing.
        var failed = await Assert.ThrowsAsync<AmiProtocolException>(() => command.WaitAsync(FakeAmiServer.Safety));
        Assert.Equal((AmiProtocolError.MissingEndCommand, request.ActionId), (failed.Error, failed.ActionId));
        Assert.Equal(AmiConnectionStatus.Connected, harness.Client.State.Status);
    }
}
