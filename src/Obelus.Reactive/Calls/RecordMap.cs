using System.Diagnostics.CodeAnalysis;

namespace Obelus.Reactive.Calls;

/// <summary>
/// The fold's records by the key each one holds, found from an <see cref="IdKey"/>, a string or an
/// event's UTF-8 bytes with no string made.
/// </summary>
/// <remarks>
/// A map keyed by the id string itself would hold a reference to that string in its entry. The
/// string is young while the map's entry array, sized for every live call, is old: each such
/// reference marks a card that every young collection must scan until the string is promoted,
/// and at 100 000 live calls that scan was most of the fold's pause. Here the entry refers to the
/// record, which the fold reuses and which is therefore old already; the record holds its key by
/// value.
/// </remarks>
/// <typeparam name="TRecord">The record.</typeparam>
internal sealed class RecordMap<TRecord>
    where TRecord : class, IKeyedRecord
{
    private readonly HashSet<TRecord> _records = new(KeyComparer.Instance);
    private readonly HashSet<TRecord>.AlternateLookup<IdKey> _byKey;

    public RecordMap() => _byKey = _records.GetAlternateLookup<IdKey>();

    public int Count => _records.Count;

    /// <summary>Entries allocated: what a peak leaves behind until <see cref="TrimExcess"/>.</summary>
    public int Capacity => _records.Capacity;

    /// <summary>The records, in no particular order; the map must not change while they are enumerated.</summary>
    public HashSet<TRecord> Records => _records;

    public bool TryGetValue(IdKey key, [MaybeNullWhen(false)] out TRecord record)
    {
        if (_records.Count == 0)
        {
            record = null;
            return false;
        }

        return _byKey.TryGetValue(key, out record);
    }

    public bool TryGetValue(ReadOnlySpan<char> key, [MaybeNullWhen(false)] out TRecord record) =>
        TryGetValue(IdKey.From(key), out record);

    /// <summary>The record of the key <paramref name="utf8Key"/> decodes to (invalid bytes as U+FFFD, as the header decoder does).</summary>
    public bool TryGetValue(ReadOnlySpan<byte> utf8Key, [MaybeNullWhen(false)] out TRecord record) =>
        TryGetValue(IdKey.From(utf8Key), out record);

    /// <summary>Puts <paramref name="record"/> under its key, in place of any record with the same key.</summary>
    public void Set(TRecord record)
    {
        if (!_records.Add(record))
        {
            _records.Remove(record);
            _records.Add(record);
        }
    }

    /// <summary>Removes the record under <paramref name="key"/>, whichever it is.</summary>
    public bool Remove(IdKey key) => _byKey.Remove(key);

    public void Clear() => _records.Clear();

    /// <summary>Cuts the room kept to <paramref name="capacity"/> entries (when to is the tracker's policy).</summary>
    public void TrimExcess(int capacity) => _records.TrimExcess(capacity);

    /// <summary>The records' keys compared, and an <see cref="IdKey"/> with a record's key.</summary>
    private sealed class KeyComparer : IEqualityComparer<TRecord>, IAlternateEqualityComparer<IdKey, TRecord>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(TRecord? x, TRecord? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Key == y.Key);

        public int GetHashCode(TRecord obj) => obj.Key.GetHashCode();

        public bool Equals(IdKey alternate, TRecord other) => alternate == other.Key;

        public int GetHashCode(IdKey alternate) => alternate.GetHashCode();

        public TRecord Create(IdKey alternate) =>
            throw new NotSupportedException("A record is added whole, never made from its key.");
    }
}
