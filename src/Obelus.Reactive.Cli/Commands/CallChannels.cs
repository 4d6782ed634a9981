using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// The channel names of one call, learnt from the events that carry its unique ids, so that
/// <c>originate</c> can hang the call up by name (what every Asterisk version and the simulator accept).
/// </summary>
internal sealed class CallChannels
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private CallState? _latest;

    /// <summary>The call's latest state, null before the first.</summary>
    public CallState? Latest
    {
        get => Volatile.Read(ref _latest);
        set => Volatile.Write(ref _latest, value);
    }

    /// <summary>Remembers the channel name of <paramref name="e"/> when it belongs to the call.</summary>
    public void Observe(AmiEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e["Uniqueid"] is { } id && e["Channel"] is { } name && Latest is { } state && state.UniqueIds.Contains(id))
        {
            lock (_gate)
            {
                _names[id] = name;
            }
        }
    }

    /// <summary>
    /// What to put in a Hangup's <c>Channel</c> for the call's first channel: its name when an event
    /// showed it, else its unique id (which Asterisk also accepts); null when the call has no channel yet.
    /// </summary>
    public string? FirstChannel()
    {
        if (Latest is not { UniqueIds: [var first, ..] })
        {
            return null;
        }

        lock (_gate)
        {
            return _names.GetValueOrDefault(first, first);
        }
    }
}
