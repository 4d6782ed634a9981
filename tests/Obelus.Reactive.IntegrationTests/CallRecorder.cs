using System.Reactive.Linq;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>Places calls on a real server and collects every state each one went through.</summary>
internal static class CallRecorder
{
    /// <summary>Longest any scenario here may take on the server; a safety net, never a pass condition.</summary>
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Every state of one call, in order. A call that has not ended within <see cref="SafetyTimeout"/>
    /// fails with the states it did go through and its channel ids, to be found in the server's log.
    /// </summary>
    /// <remarks>
    /// On the real server the message also lists the channels the server still has, which tells a
    /// call the server never ended from one whose end the client missed.
    /// </remarks>
    public static async Task<IList<CallState>> RunAsync(CallManager manager, OriginateRequest request, bool onRealServer = true)
    {
        var states = new List<CallState>();
        try
        {
            await manager.Originate(request).Do(state =>
            {
                lock (states)
                {
                    states.Add(state);
                }
            }).DefaultIfEmpty().LastAsync().Timeout(SafetyTimeout);
        }
        catch (TimeoutException ex)
        {
            var live = onRealServer ? await LiveChannelsAsync() : "(not asked: not the real server)";
            lock (states)
            {
                var channels = states.LastOrDefault()?.UniqueIds ?? [];
                throw new TimeoutException(
                    $"The call {states.FirstOrDefault()?.CallId ?? "(no state yet)"} to {request.Channel} did not end within {SafetyTimeout.TotalSeconds} s. " +
                    $"Its channels: [{string.Join(", ", channels)}]; its states: {Describe(states)}. The server's live channels: {live}",
                    ex);
            }
        }

        lock (states)
        {
            return [.. states];
        }
    }

    /// <summary>The server's live channels (id, name, state, application), asked on a connection of its own.</summary>
    private static async Task<string> LiveChannelsAsync()
    {
        try
        {
            await using var client = await RealAsterisk.ConnectAsync();
            var list = await client.SendEventListAsync(new AmiAction("CoreShowChannels"));
            return list.Items.Count == 0
                ? "none"
                : string.Join("; ", list.Items.Select(c => $"{c["Uniqueid"]} {c["Channel"]} {c["ChannelStateDesc"]} {c["Application"]}({c["ApplicationData"]})"));
        }
        catch (Exception ex) when (ex is AmiException or TimeoutException or IOException)
        {
            return $"(could not ask: {ex.Message})";
        }
    }

    /// <summary>All at once: every Originate is subscribed before the first answer can arrive.</summary>
    public static Task<IList<CallState>[]> RunAllAsync(CallManager manager, IEnumerable<OriginateRequest> requests) =>
        Task.WhenAll(requests.Select(r => RunAsync(manager, r)));

    /// <summary>One line per state, for failure messages.</summary>
    public static string Describe(IEnumerable<CallState> states) =>
        string.Join(" | ", states.Select(s => $"{s.Change} {s.ChannelState} dial={s.DialStatus} cause={(int?)s.HangupCause} outcome={s.Outcome} {s.Failure?.Message}"));
}
