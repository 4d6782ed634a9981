namespace Obelus.Reactive.Calls;

/// <summary>
/// The last few channels the fold looked up, found again from an event's <c>Uniqueid</c> bytes:
/// no string decoded, no map searched. A channel's events come in runs (a new channel's
/// variables and state, a hangup request and its hangup): on the capture of 300 calls placed
/// at once, the channel of one event in two the fold handles is among the last four.
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

    /// <summary>The recent channel whose id is exactly <paramref name="uniqueId"/> (ASCII bytes), or null.</summary>
    public TrackedChannel? Find(ReadOnlySpan<byte> uniqueId)
    {
        foreach (var channel in _slots)
        {
            if (channel is not null && SameId(channel.UniqueId, uniqueId))
            {
                return channel;
            }
        }

        return null;
    }

    /// <summary>The recent channel whose id is <paramref name="uniqueId"/> (ordinal), or null.</summary>
    public TrackedChannel? Find(string uniqueId)
    {
        foreach (var channel in _slots)
        {
            if (channel is not null && string.Equals(channel.UniqueId, uniqueId, StringComparison.Ordinal))
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

    // An ASCII byte decodes to the one char of the same value, so equal lengths and equal units
    // mean equal strings; any other byte is part of a longer sequence and is left to the map.
    // From the end: ids on one server share their leading digits and differ in the last ones.
    private static bool SameId(string id, ReadOnlySpan<byte> bytes)
    {
        if (id.Length != bytes.Length)
        {
            return false;
        }

        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            var b = bytes[i];
            if (b >= 0x80 || b != id[i])
            {
                return false;
            }
        }

        return true;
    }
}
