using System.Collections;
using System.Runtime.CompilerServices;

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

    /// <summary>A list of the ids <paramref name="ids"/> holds now.</summary>
    public static ChannelIdList Of(in LiveChannelIds ids)
    {
        if (ids.Count == 0)
        {
            return Empty;
        }

        var few = default(Few);
        Span<IdKey> copy = ids.Count <= Few.Length ? few[..ids.Count] : new IdKey[ids.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = ids[i];
        }

        return new ChannelIdList(copy);
    }

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

    public override string ToString() => string.Join(", ", this);
}
