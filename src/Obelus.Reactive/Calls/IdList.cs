namespace Obelus.Reactive.Calls;

/// <summary>
/// A short list of ids held in its owner: the first inline, any more in an array. A call has one
/// Linkedid and at most two expected ids nearly always, so the list is nearly always no object
/// at all; one object fewer for each live call to promote out of the young generation.
/// </summary>
/// <remarks>A mutable struct kept in a field of its owner and changed only there; copies are for reading.</remarks>
internal struct IdList
{
    private IdKey _first;
    private IdKey[]? _more;

    public readonly int Count => _first.IsEmpty ? 0 : 1 + (_more?.Length ?? 0);

    public readonly bool Contains(IdKey id)
    {
        if (_first == id)
        {
            return true;
        }

        foreach (var other in _more ?? [])
        {
            if (other == id)
            {
                return true;
            }
        }

        return false;
    }

    public void Add(IdKey id)
    {
        if (_first.IsEmpty)
        {
            _first = id;
            return;
        }

        _more = _more is null ? [id] : [.. _more, id];
    }

    public void Clear() => this = default;

    public readonly Enumerator GetEnumerator() => new(this);

    /// <summary>Walks the list without allocating.</summary>
    public struct Enumerator(IdList list)
    {
        private int _index = -1;

        public readonly IdKey Current => _index == 0 ? list._first : list._more![_index - 1];

        public bool MoveNext() => ++_index < list.Count;
    }
}
