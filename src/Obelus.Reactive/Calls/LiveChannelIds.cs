namespace Obelus.Reactive.Calls;

/// <summary>
/// A call's live channel ids, in order, kept in its record and changed in place: the first three
/// inline, any more in an array.
/// </summary>
/// <remarks>
/// A mutable struct kept in a field of its owner and changed only there. Changing ids in place
/// stores no reference: the record, old by the time its call is followed for a while, then points
/// to no young object that each young collection would have to find through it. The lists that
/// states carry are made from it (see <see cref="ChannelIdList.Of"/>).
/// </remarks>
internal struct LiveChannelIds
{
    private IdKey _first;
    private IdKey _second;
    private IdKey _third;
    private IdKey[]? _more;

    public int Count { readonly get; private set; }

    public readonly IdKey this[int index] => index switch
    {
        0 => _first,
        1 => _second,
        2 => _third,
        _ => _more![index - 3],
    };

    public void Add(IdKey id)
    {
        if (Count >= 3 && (_more is null || _more.Length < Count - 2))
        {
            Array.Resize(ref _more, Math.Max(4, 2 * (_more?.Length ?? 0)));
        }

        Set(Count, id);
        Count++;
    }

    /// <summary>Removes <paramref name="id"/>, keeping the order of the others; false when it is not here.</summary>
    public bool Remove(IdKey id)
    {
        // From the end: the channel leaving is most often the one that came last.
        var index = Count - 1;
        while (index >= 0 && this[index] != id)
        {
            index--;
        }

        if (index < 0)
        {
            return false;
        }

        for (var i = index; i < Count - 1; i++)
        {
            Set(i, this[i + 1]);
        }

        Count--;
        Set(Count, default);
        return true;
    }

    public void Clear() => this = default;

    /// <summary>These ids in a copy that shares no array with this one (which may change them later).</summary>
    public readonly LiveChannelIds Copy()
    {
        var copy = this;
        copy._more = Count > 3 ? _more.AsSpan(0, Count - 3).ToArray() : null;
        return copy;
    }

    private void Set(int index, IdKey id)
    {
        switch (index)
        {
            case 0:
                _first = id;
                break;
            case 1:
                _second = id;
                break;
            case 2:
                _third = id;
                break;
            default:
                _more![index - 3] = id;
                break;
        }
    }
}
