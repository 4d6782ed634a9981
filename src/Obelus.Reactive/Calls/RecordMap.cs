using System.Diagnostics.CodeAnalysis;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// The fold's records by the key each one holds, found from a string, chars or an event's UTF-8
/// bytes with no string made.
/// </summary>
/// <remarks>
/// A map keyed by the id string itself would hold a reference to that string in its entry. The
/// string is young while the map's entry array, sized for every live call, is old: each such
/// reference marks a card that every young collection must scan until the string is promoted,
/// and at 100 000 live calls that scan was most of the fold's pause. Here the entry refers to the
/// record, which the fold reuses and which is therefore old already.
/// </remarks>
/// <typeparam name="TRecord">The record.</typeparam>
internal sealed class RecordMap<TRecord>
    where TRecord : class, IKeyedRecord
{
    // Ids are short; a longer key is decoded as a string, as it would have been anyway.
    private const int LongestStackDecoded = 256;

    private readonly HashSet<TRecord> _records = new(KeyComparer.Instance);
    private readonly HashSet<TRecord>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    public RecordMap() => _byChars = _records.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _records.Count;

    /// <summary>Entries allocated: what a peak leaves behind until <see cref="TrimExcess"/>.</summary>
    public int Capacity => _records.Capacity;

    /// <summary>The records, in no particular order; the map must not change while they are enumerated.</summary>
    public HashSet<TRecord> Records => _records;

    public bool TryGetValue(ReadOnlySpan<char> key, [MaybeNullWhen(false)] out TRecord record) =>
        _byChars.TryGetValue(key, out record);

    /// <summary>The record of the key <paramref name="utf8Key"/> decodes to (invalid bytes as U+FFFD, as the header decoder does).</summary>
    public bool TryGetValue(ReadOnlySpan<byte> utf8Key, [MaybeNullWhen(false)] out TRecord record)
    {
        if (_records.Count == 0)
        {
            record = null;
            return false;
        }

        if (utf8Key.Length > LongestStackDecoded)
        {
            return _byChars.TryGetValue(KnownHeaderNames.Utf8.GetString(utf8Key), out record);
        }

        // A decoded key is never longer in chars than in bytes.
        Span<char> key = stackalloc char[utf8Key.Length];
        return _byChars.TryGetValue(key[..KnownHeaderNames.Utf8.GetChars(utf8Key, key)], out record);
    }

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
    public bool Remove(ReadOnlySpan<char> key) => _byChars.Remove(key);

    public void Clear() => _records.Clear();

    /// <summary>Cuts the room kept to <paramref name="capacity"/> entries (when to is the tracker's policy).</summary>
    public void TrimExcess(int capacity) => _records.TrimExcess(capacity);

    /// <summary>Ordinal comparison of the records' keys, and of chars with a record's key.</summary>
    private sealed class KeyComparer : IEqualityComparer<TRecord>, IAlternateEqualityComparer<ReadOnlySpan<char>, TRecord>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(TRecord? x, TRecord? y) => string.Equals(x?.Key, y?.Key, StringComparison.Ordinal);

        // Randomised, as a string-keyed dictionary's hash becomes once it sees many collisions:
        // ids come from the server, and a dialplan can choose them.
        public int GetHashCode(TRecord obj) => string.GetHashCode(obj.Key.AsSpan());

        public bool Equals(ReadOnlySpan<char> alternate, TRecord other) => alternate.SequenceEqual(other.Key);

        public int GetHashCode(ReadOnlySpan<char> alternate) => string.GetHashCode(alternate);

        public TRecord Create(ReadOnlySpan<char> alternate) =>
            throw new NotSupportedException("A record is added whole, never made from its key.");
    }
}
