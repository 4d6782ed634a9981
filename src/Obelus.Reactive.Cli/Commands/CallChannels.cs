using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// The channel names of one call, learnt from the events that carry its unique ids, so that
/// <c>originate</c> can hang the call up by name (what every Asterisk version and the simulator accept).
/// </summary>
internal sealed class CallChannels
{
    /// <summary>Channels remembered before the call's own are known.</summary>
    public const int MaxUnknownChannels = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private CallState? _latest;

    /// <summary>The call's latest state, null before the first.</summary>
    public CallState? Latest => Volatile.Read(ref _latest);

    /// <summary>Records the call's new state and, once it names its channels, forgets the channels that are not the call's.</summary>
    public void Update(CallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            Volatile.Write(ref _latest, state);
            if (state.UniqueIds.Count == 0)
            {
                return;
            }

            foreach (var id in _names.Keys.Where(id => !state.UniqueIds.Contains(id)).ToList())
            {
                _names.Remove(id);
            }
        }
    }

    /// <summary>
    /// Remembers the channel name of <paramref name="e"/> when it belongs to the call, or may: the
    /// events can run ahead of the states that name the call's channels, so until a state does,
    /// every channel is kept (up to <see cref="MaxUnknownChannels"/>, for a busy server).
    /// </summary>
    public void Observe(AmiEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e["Uniqueid"] is not { } id || e["Channel"] is not { } name)
        {
            return;
        }

        lock (_gate)
        {
            var known = _latest?.UniqueIds ?? [];
            if (known.Contains(id) || (known.Count == 0 && _names.Count < MaxUnknownChannels))
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
