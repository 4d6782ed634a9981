using System.Diagnostics.CodeAnalysis;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// Finds a key of a string-keyed map from the UTF-8 bytes of an event's header, with no string
/// made: the fold looks most ids up only to find what it knows already, and a string decoded for
/// each of those was garbage the moment the look-up ended.
/// </summary>
/// <typeparam name="TValue">What the map holds.</typeparam>
internal readonly struct Utf8KeyLookup<TValue>
{
    // Ids are short; a longer key is decoded as a string, as it would have been anyway.
    private const int LongestStackDecoded = 256;

    private readonly Dictionary<string, TValue> _map;
    private readonly Dictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public Utf8KeyLookup(Dictionary<string, TValue> map)
    {
        _map = map;
        _bySpan = map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The value of the key <paramref name="utf8Key"/> decodes to (invalid bytes as U+FFFD).</summary>
    public bool TryGetValue(ReadOnlySpan<byte> utf8Key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_map.Count == 0)
        {
            value = default;
            return false;
        }

        if (utf8Key.Length > LongestStackDecoded)
        {
            return _map.TryGetValue(KnownHeaderNames.Utf8.GetString(utf8Key), out value);
        }

        // A decoded key is never longer in chars than in bytes.
        Span<char> key = stackalloc char[utf8Key.Length];
        return _bySpan.TryGetValue(key[..KnownHeaderNames.Utf8.GetChars(utf8Key, key)], out value);
    }
}
