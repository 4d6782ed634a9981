namespace Obelus.Reactive.Calls;

/// <summary>
/// A short list of ids held in its owner: the first inline, any more in an array. A call has one
/// Linkedid and at most two expected ids nearly always, so the list is nearly always no object
/// at all; one object fewer for each live call to promote out of the young generation.
/// </summary>
/// <remarks>A mutable struct kept in a field of its owner and changed only there; copies are for reading.</remarks>
internal struct IdList
{
    private string? _first;
    private string[]? _more;

    public readonly int Count => _first is null ? 0 : 1 + (_more?.Length ?? 0);

    /// <summary>The id in the list equal to <paramref name="id"/>, or null.</summary>
    public readonly string? Find(string id)
    {
        if (string.Equals(_first, id, StringComparison.Ordinal))
        {
            return _first;
        }

        foreach (var other in _more ?? [])
        {
            if (string.Equals(other, id, StringComparison.Ordinal))
            {
                return other;
            }
        }

        return null;
    }

    public void Add(string id)
    {
        if (_first is null)
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

        public readonly string Current => _index == 0 ? list._first! : list._more![_index - 1];

        public bool MoveNext() => ++_index < list.Count;
    }
}
