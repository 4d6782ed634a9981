using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>Places calls on a real server and collects every state each one went through.</summary>
internal static class CallRecorder
{
    /// <summary>Longest any scenario here may take on the server; a safety net, never a pass condition.</summary>
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(90);

    public static Task<IList<CallState>> RunAsync(CallManager manager, OriginateRequest request) =>
        manager.Originate(request).ToList().Timeout(SafetyTimeout).ToTask();

    /// <summary>All at once: every Originate is subscribed before the first answer can arrive.</summary>
    public static Task<IList<CallState>[]> RunAllAsync(CallManager manager, IEnumerable<OriginateRequest> requests) =>
        Task.WhenAll(requests.Select(r => RunAsync(manager, r)));

    /// <summary>One line per state, for failure messages.</summary>
    public static string Describe(IEnumerable<CallState> states) =>
        string.Join(" | ", states.Select(s => $"{s.Change} {s.ChannelState} dial={s.DialStatus} cause={(int?)s.HangupCause} outcome={s.Outcome} {s.Failure?.Message}"));
}
