using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// A channel id (a Uniqueid or a Linkedid) held by value: up to <see cref="InlineLength"/> ASCII
/// bytes in the key itself, a string only for a longer or non-ASCII id (or one with a NUL).
/// </summary>
/// <remarks>
/// A map entry or a record that refers to an id string refers to a young object while the map
/// and the record, kept for every live call, are old. Every such reference marks a card that each
/// young collection scans again until the string is promoted, and at many live calls that scan
/// is most of what the fold pays for its collections. An id held by value refers to nothing.
/// Asterisk's ids (<c>1764000000.123</c>, or with a system name before it) fit nearly always.
/// The same text always gets the same representation, so equality compares fields. The bytes after
/// an inline id are zero, which is how its length is known: 32 bytes a key, where a length field
/// would make it 40, and a live call holds several.
/// </remarks>
internal readonly struct IdKey : IEquatable<IdKey>
{
    /// <summary>The longest id held without a string, in bytes.</summary>
    public const int InlineLength = 24;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly string? _text;

    private IdKey(ReadOnlySpan<byte> ascii)
    {
        Span<byte> bytes = stackalloc byte[InlineLength];
        bytes.Clear();
        ascii.CopyTo(bytes);
        _a = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
    }

    private IdKey(string text) => _text = text;

    /// <summary>The string of an id too long (or not ASCII) to be held inline, else null.</summary>
    public string? Text => _text;

    /// <summary>The empty id: what a channel without a Linkedid has.</summary>
    public bool IsEmpty => _a == 0 && _text is null;

    /// <summary>The length of an inline id: where its zero bytes start (read little-endian, so they are the high ones).</summary>
    private int InlineCount =>
        _c != 0 ? 24 - (BitOperations.LeadingZeroCount(_c) / 8)
        : _b != 0 ? 16 - (BitOperations.LeadingZeroCount(_b) / 8)
        : 8 - (BitOperations.LeadingZeroCount(_a) / 8);

    /// <summary>The id of <paramref name="text"/>.</summary>
    public static IdKey From(ReadOnlySpan<char> text)
    {
        if (text.Length <= InlineLength && Ascii.IsValid(text) && !text.Contains('\0'))
        {
            Span<byte> ascii = stackalloc byte[text.Length];
            Ascii.FromUtf16(text, ascii, out _);
            return new IdKey(ascii);
        }

        return new IdKey(text.ToString());
    }

    /// <summary>The id of an event's value <paramref name="utf8"/> (invalid bytes as U+FFFD, as the header decoder does).</summary>
    public static IdKey From(ReadOnlySpan<byte> utf8) =>
        utf8.Length <= InlineLength && Ascii.IsValid(utf8) && !utf8.Contains((byte)0) ? new IdKey(utf8) : new IdKey(KnownHeaderNames.Utf8.GetString(utf8));

    public bool Equals(IdKey other) =>
        _a == other._a && _b == other._b && _c == other._c && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is IdKey other && Equals(other);

    // Seeded per process, as a string's hash is: ids come from the server, and a dialplan can choose them.
    public override int GetHashCode() => _text is null ? HashCode.Combine(_a, _b, _c) : string.GetHashCode(_text.AsSpan());

    /// <summary>Whether the id starts with <paramref name="prefix"/>, ignoring ASCII case.</summary>
    public bool StartsWith(string prefix)
    {
        if (_text is not null)
        {
            return _text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        }

        if (prefix.Length > InlineCount)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[InlineLength];
        WriteBytes(bytes);
        return Ascii.EqualsIgnoreCase(bytes[..prefix.Length], prefix);
    }

    /// <summary>The id as a string (a new one, except for an id held as one).</summary>
    public override string ToString()
    {
        if (_text is not null || IsEmpty)
        {
            return _text ?? string.Empty;
        }

        return string.Create(InlineCount, this, static (chars, key) =>
        {
            Span<byte> bytes = stackalloc byte[InlineLength];
            key.WriteBytes(bytes);
            Ascii.ToUtf16(bytes[..chars.Length], chars, out _);
        });
    }

    private void WriteBytes(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, _a);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], _b);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], _c);
    }

    public static bool operator ==(IdKey left, IdKey right) => left.Equals(right);

    public static bool operator !=(IdKey left, IdKey right) => !left.Equals(right);
}
