namespace Obelus.Reactive.Calls;

/// <summary>
/// The last few channels the fold looked up, found again by id with no map searched. A
/// channel's events come in runs (a new channel's variables and state, a hangup request and its
/// hangup): on the capture of 300 calls placed at once, the channel of one event in two the fold
/// handles is among the last four.
/// </summary>
/// <remarks>
/// Holds only channels that are in the tracker's map under their own id: the tracker drops a
/// channel here whenever it takes it out of the map, so a hit answers what the map would.
/// </remarks>
internal sealed class RecentChannels
{
    private const int Size = 4;
    private readonly TrackedChannel?[] _slots = new TrackedChannel?[Size];
    private int _next;

    /// <summary>The recent channel whose id is <paramref name="id"/>, or null.</summary>
    public TrackedChannel? Find(IdKey id)
    {
        foreach (var channel in _slots)
        {
            if (channel is not null && channel.Id == id)
            {
                return channel;
            }
        }

        return null;
    }

    /// <summary>Remembers <paramref name="channel"/>, in place of the one remembered longest.</summary>
    public void Note(TrackedChannel channel)
    {
        foreach (var slot in _slots)
        {
            if (slot == channel)
            {
                return;
            }
        }

        _slots[_next] = channel;
        _next = (_next + 1) % Size;
    }

    /// <summary>Forgets <paramref name="channel"/> (it has left the tracker's map).</summary>
    public void Drop(TrackedChannel channel)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] == channel)
            {
                _slots[i] = null;
            }
        }
    }

    public void Clear() => Array.Clear(_slots);
}
