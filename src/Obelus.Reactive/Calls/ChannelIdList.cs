using System.Collections;
using System.Runtime.CompilerServices;

namespace Obelus.Reactive.Calls;

/// <summary>
/// The Uniqueids of a call's live channels as its states carry them: held by value, each turned
/// into a string the first time it is read.
/// </summary>
/// <remarks>
/// Never changed once made: a call's states share one list until its channels change, and a
/// change makes a new list. The fold itself never reads the strings. A list lives as long as its
/// call, so it is promoted out of the young generation; ids held as strings were two or three
/// more objects per call to find and promote at every young collection, the largest part of what
/// the fold paid for them. Reading is safe from any thread: two readers of a string not made yet
/// may each make one, of the same text.
/// </remarks>
internal sealed class ChannelIdList : IReadOnlyList<string>
{
    /// <summary>No channel: shared by every call that has none.</summary>
    public static readonly ChannelIdList Empty = new([]);

    // A call has one to three live channels nearly always (an Originate through a Local channel:
    // its two halves and the channel the second dials): those are held in the list itself, so the
    // list is one object, not also an array.
    private readonly IdKey _first;
    private readonly IdKey _second;
    private readonly IdKey _third;
    private readonly IdKey[]? _more;
    private string?[]? _texts;

    private ChannelIdList(ReadOnlySpan<IdKey> ids)
    {
        Count = ids.Length;
        if (ids.Length > 0)
        {
            _first = ids[0];
        }

        if (ids.Length > 1)
        {
            _second = ids[1];
        }

        if (ids.Length > 2)
        {
            _third = ids[2];
        }

        if (ids.Length > 3)
        {
            _more = ids[3..].ToArray();
        }
    }

    public int Count { get; }

    public string this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var texts = _texts ?? Interlocked.CompareExchange(ref _texts, new string?[Count], null) ?? _texts;
            return texts[index] ??= KeyAt(index).ToString();
        }
    }

    /// <summary>The id at <paramref name="index"/> by value (no string made).</summary>
    public IdKey KeyAt(int index) => index switch
    {
        0 when Count > 0 => _first,
        1 when Count > 1 => _second,
        2 when Count > 2 => _third,
        _ when index >= 3 && index < Count => _more![index - 3],
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"The list has {Count} ids."),
    };

    /// <summary>The index of <paramref name="id"/>, or -1.</summary>
    public int IndexOf(IdKey id)
    {
        // From the end: the channel leaving is most often the one that came last.
        for (var i = Count - 1; i >= 0; i--)
        {
            if (KeyAt(i) == id)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>This list with <paramref name="id"/> added at the end.</summary>
    public ChannelIdList Add(IdKey id)
    {
        var few = default(Few);
        Span<IdKey> ids = Count < Few.Length ? few[..(Count + 1)] : new IdKey[Count + 1];
        CopyTo(ids);
        ids[Count] = id;
        return new ChannelIdList(ids);
    }

    /// <summary>This list without the id at <paramref name="index"/>; the last one going leaves <see cref="Empty"/>.</summary>
    public ChannelIdList RemoveAt(int index)
    {
        if (Count == 1)
        {
            return Empty;
        }

        var few = default(Few);
        Span<IdKey> ids = Count <= Few.Length ? few[..Count] : new IdKey[Count];
        CopyTo(ids);
        ids[(index + 1)..].CopyTo(ids[index..]);
        return new ChannelIdList(ids[..^1]);
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Room on the stack for the ids of a list being made (an id holds a reference, so no stackalloc).</summary>
    [InlineArray(Length)]
    private struct Few
    {
        public const int Length = 4;

        private IdKey _id;
    }

    private void CopyTo(Span<IdKey> ids)
    {
        for (var i = 0; i < Count; i++)
        {
            ids[i] = KeyAt(i);
        }
    }

    public override string ToString() => string.Join(", ", this);
}
