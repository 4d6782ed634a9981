namespace Obelus.Reactive.Protocol;

/// <summary>Where one header's name and value sit inside a message's byte buffer.</summary>
/// <remarks>
/// Twelve bytes rather than four ints: a value starts right after its name, the colon and at
/// most one space, so the gap between them fits in the top bits of the name length. One slot
/// per header is a large share of what a parsed event allocates.
/// </remarks>
internal readonly struct HeaderSlot
{
    /// <summary>Bytes per slot in a message's array.</summary>
    public const int Size = 12;

    private const int LengthBits = 30;
    private const int LengthMask = (1 << LengthBits) - 1;
    private const int MaxGap = 3;

    private readonly int _nameStart;
    private readonly int _nameLengthAndGap;
    private readonly int _valueLength;

    /// <exception cref="ArgumentOutOfRangeException">The value does not start 0 to 3 bytes after the name, or the name is 1 GiB or longer.</exception>
    public HeaderSlot(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        var gap = valueStart - nameStart - nameLength;
        if ((uint)gap > MaxGap || (uint)nameLength > LengthMask)
        {
            throw new ArgumentOutOfRangeException(nameof(valueStart), valueStart, "A header value must start at most 3 bytes after its name.");
        }

        _nameStart = nameStart;
        _nameLengthAndGap = nameLength | (gap << LengthBits);
        _valueLength = valueLength;
    }

    public int NameStart => _nameStart;

    public int NameLength => _nameLengthAndGap & LengthMask;

    public int ValueStart => _nameStart + NameLength + (int)((uint)_nameLengthAndGap >> LengthBits);

    public int ValueLength => _valueLength;
}
