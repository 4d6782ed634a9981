using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>
/// Calls across a real reconnect: the AMI session is kicked (or the server restarted) while calls
/// are up; after the new login the manager re-synchronises with <c>Status</c>.
/// </summary>
public sealed class ReconnectTests
{
    private static AmiClientOptions Reconnecting => RealAsterisk.Options() with
    {
        Reconnect = new AmiReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1), Jitter = 0 },
    };

    [RealAsteriskFact]
    public async Task A_kicked_session_reconnects_and_calls_are_resynchronised()
    {
        await using var client = await RealAsterisk.ConnectAsync(Reconnecting);
        using var manager = new CallManager(client);
        var reconnected = client.States.Where(s => s.Status == AmiConnectionStatus.Disconnected)
            .Take(1)
            .SelectMany(_ => client.States.Where(s => s.Status == AmiConnectionStatus.Connected).Take(1))
            .Timeout(CallRecorder.SafetyTimeout)
            .ToTask();
        var (longCall, _) = await StartAsync(manager, Scenarios.Long);
        var (shortCall, _) = await StartAsync(manager, Scenarios.Request("Local/100@default"));

        await KickOwnSessionAsync(client);
        await reconnected;
        var shortEnd = await shortCall.LastAsync().Timeout(CallRecorder.SafetyTimeout);
        await client.SendAsync(new AmiAction("Hangup").Add("Channel", "/^Local\\/1000@default-/"));
        var longStates = await longCall.ToList().Timeout(CallRecorder.SafetyTimeout);

        // The 1-second call either ended before the kick was felt or during the gap (unknown how).
        Assert.Contains(shortEnd.Outcome, new CallOutcome?[] { CallOutcome.Answered, CallOutcome.LostDuringDisconnect });
        Assert.Single(longStates, s => s.IsTerminal);
        Assert.Equal(CallOutcome.Answered, longStates[^1].Outcome);
        Assert.Empty(manager.TrackedCalls);
    }

    [RealAsteriskFact(NeedsRestart = true)]
    public async Task Calls_end_once_when_the_server_restarts_and_the_client_comes_back()
    {
        await using var client = await RealAsterisk.ConnectAsync(Reconnecting);
        using var manager = new CallManager(client);
        var (call, _) = await StartAsync(manager, Scenarios.Long);

        await RealAsterisk.RestartAsync(CancellationToken.None);
        var states = await call.ToList().Timeout(CallRecorder.SafetyTimeout);
        await client.States.FirstAsync(s => s.Status == AmiConnectionStatus.Connected).Timeout(CallRecorder.SafetyTimeout);
        var after = await CallRecorder.RunAsync(manager, Scenarios.Request("Local/100@default"));

        // A stopping Asterisk hangs its channels up and reports it before it closes the session; a
        // call whose Hangup did not reach us ends as lost during the disconnect.
        Assert.Single(states, s => s.IsTerminal);
        Assert.Contains(states[^1].Outcome, new CallOutcome?[] { CallOutcome.Answered, CallOutcome.LostDuringDisconnect });
        Assert.Equal(CallOutcome.Answered, after[^1].Outcome);
    }

    private static async Task<(IObservable<CallState> States, CallState Up)> StartAsync(CallManager manager, OriginateRequest request)
    {
        var states = manager.Originate(request).Replay();
        states.Connect();
        var up = await states.FirstAsync(s => s.ChannelState == ChannelState.Up).Timeout(CallRecorder.SafetyTimeout);
        return (states, up);
    }

    /// <summary>
    /// Kicks this client's own session with <c>manager kick session</c>, found by its user name in
    /// <c>manager show connected</c> (columns: user, address, start, elapsed, file descriptor, ...).
    /// </summary>
    private static async Task KickOwnSessionAsync(AmiClient client)
    {
        var sessions = (await client.CommandAsync("manager show connected"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length > 4 && columns[0] == RealAsterisk.User)
            .ToList();
        var own = Assert.Single(sessions);

        // The session ends while it answers: a failure of this very action is expected.
        try
        {
            await client.SendAsync(new AmiAction("Command").Add("Command", "manager kick session " + own[4]));
        }
        catch (Exception ex) when (ex is AmiConnectionException or AmiTimeoutException or AmiActionException)
        {
        }
    }
}
