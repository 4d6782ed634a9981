using System.Collections;

namespace Obelus.Reactive.Calls;

/// <summary>
/// The Uniqueids of a call's live channels as its states carry them: held by value, each turned
/// into a string the first time it is read.
/// </summary>
/// <remarks>
/// Never changed once made: it is a copy of the ids a call's record holds at one moment (see
/// <see cref="LiveChannelIds"/>), made for the state and update of an event that finds them
/// changed. The record keeps no reference to it, so a list lives only as long as the states that
/// carry it. The fold itself never reads the strings. Reading is safe from any thread: two
/// readers of a string not made yet may each make one, of the same text.
/// </remarks>
internal sealed class ChannelIdList : IReadOnlyList<string>
{
    /// <summary>No channel: shared by every call that has none.</summary>
    public static readonly ChannelIdList Empty = new(default);

    // The same layout as the record's: the first three ids (an Originate through a Local channel
    // has its two halves and the channel the second dials) in the list itself, so the list is one
    // object, not also an array. A copy that shares nothing with the record.
    private readonly LiveChannelIds _ids;
    private string?[]? _texts;

    private ChannelIdList(LiveChannelIds ids) => _ids = ids;

    public int Count => _ids.Count;

    /// <summary>A list of the ids <paramref name="ids"/> holds now.</summary>
    public static ChannelIdList Of(in LiveChannelIds ids) => ids.Count == 0 ? Empty : new(ids.Copy());

    public string this[int index]
    {
        get
        {
            var key = KeyAt(index);
            var texts = _texts ?? Interlocked.CompareExchange(ref _texts, new string?[Count], null) ?? _texts;
            return texts[index] ??= key.ToString();
        }
    }

    /// <summary>The id at <paramref name="index"/> by value (no string made).</summary>
    public IdKey KeyAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _ids[index];
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", this);
}
