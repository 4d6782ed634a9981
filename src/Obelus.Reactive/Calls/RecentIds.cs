namespace Obelus.Reactive.Calls;

/// <summary>
/// The last <c>capacity</c> ids added, for "was this seen a moment ago?" questions: a set with
/// first-in, first-out eviction, so it never grows past its capacity however long it runs.
/// </summary>
internal sealed class RecentIds(int capacity)
{
    private readonly HashSet<IdKey> _set = [];
    private readonly Queue<IdKey> _order = new();

    public int Count => _set.Count;

    public void Add(IdKey id)
    {
        if (capacity <= 0 || !_set.Add(id))
        {
            return;
        }

        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _set.Remove(_order.Dequeue());
        }
    }

    public bool Contains(IdKey id) => _set.Contains(id);

    public void Clear()
    {
        _set.Clear();
        _order.Clear();
    }
}
