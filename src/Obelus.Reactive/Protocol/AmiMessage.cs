using System.Runtime.CompilerServices;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// An AMI message: an ordered bag of headers, repeated names kept, looked up case-insensitively.
/// </summary>
/// <remarks>
/// A parsed message keeps its bytes once and decodes a header name or value to a string only
/// when it is asked for, so an event whose headers nobody reads costs one array (its bytes, then
/// its slot table). Lookups allocate nothing but the value string they return (and not even that for
/// known names and frequent values such as event names and channel states, which are shared
/// instances); read a header once and keep the string rather than asking again in a loop. The
/// header bag is the truth: nothing is dropped or renamed. Instances are immutable and safe to
/// share between threads.
/// </remarks>
public abstract class AmiMessage : IReadOnlyList<AmiHeader>
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly IReadOnlyList<string> NoLines = Array.Empty<string>();

    // Header bytes first, then the slot table from _slotsAt: one array per message, not two.
    private readonly byte[] _data;
    private readonly int _slotsAt;
    private readonly int _count;
    private readonly IReadOnlyList<string> _output;

    private protected AmiMessage(byte[] data, int slotsAt, int count, IReadOnlyList<string>? output)
    {
        _data = data;
        _slotsAt = slotsAt;
        _count = count;
        _output = output ?? NoLines;
    }

    /// <summary>What the first header says this message is.</summary>
    public abstract AmiMessageKind Kind { get; }

    /// <summary>Number of headers, in wire order.</summary>
    public int Count => _count;

    /// <summary>
    /// Command output lines: the legacy <c>Response: Follows</c> body up to <c>--END COMMAND--</c>,
    /// or the values of the <c>Output:</c> headers of Asterisk 14 and later. Empty for other messages.
    /// </summary>
    public IReadOnlyList<string> Output => _output;

    /// <summary>The <c>ActionID</c> header, or null.</summary>
    public string? ActionId => this["ActionID"];

    /// <summary>The header at <paramref name="index"/> in wire order.</summary>
    public AmiHeader this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, "Header index out of range.");
            }

            return new AmiHeader(NameAt(index), ValueAt(index));
        }
    }

    /// <summary>The first value of header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? this[string name] => TryGetValue(name, out var value) ? value : null;

    /// <summary>Gets the first value of header <paramref name="name"/> (case-insensitive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
    {
        var index = IndexOf(name, 0);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = ValueAt(index);
        return true;
    }

    /// <summary>Gets the raw bytes of the first value of header <paramref name="name"/> (case-insensitive), making no string.</summary>
    internal bool TryGetValueBytes(string name, out ReadOnlySpan<byte> value)
    {
        var index = IndexOf(name, 0);
        value = index < 0 ? default : ValueBytesAt(index);
        return index >= 0;
    }

    /// <summary>True when at least one header is named <paramref name="name"/> (case-insensitive).</summary>
    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    /// <summary>Every value of header <paramref name="name"/> in wire order (e.g. <c>Variable</c>, <c>ChanVariable</c>).</summary>
    public IReadOnlyList<string> GetValues(string name)
    {
        List<string>? values = null;
        for (var index = IndexOf(name, 0); index >= 0; index = IndexOf(name, index + 1))
        {
            (values ??= new List<string>(2)).Add(ValueAt(index));
        }

        return values ?? NoLines;
    }

    /// <summary>True when header <paramref name="name"/> exists and equals <paramref name="expected"/> ignoring ASCII case.</summary>
    public bool HeaderEquals(string name, string expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return TryGetValueBytes(name, out var value) && value.Length == expected.Length && Ascii.EqualsIgnoreCase(value, expected);
    }

    /// <inheritdoc />
    public IEnumerator<AmiHeader> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The message as AMI text (CRLF line ends, no terminating blank line).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < _count; i++)
        {
            builder.Append(NameAt(i)).Append(": ").Append(ValueAt(i)).Append("\r\n");
        }

        return builder.ToString();
    }

    /// <summary>
    /// Builds a message from headers, e.g. for tests or a simulated server. The first header
    /// decides the type: <c>Event</c> gives an <see cref="AmiEvent"/>, <c>Response</c> an
    /// <see cref="AmiResponse"/>, <c>Action</c> an <see cref="AmiRequest"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No headers, an unknown first header, or a CR/LF in a name or value.</exception>
    public static AmiMessage Create(IEnumerable<AmiHeader> headers, IReadOnlyList<string>? output = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var list = headers as IReadOnlyList<AmiHeader> ?? headers.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A message needs at least one header.", nameof(headers));
        }

        var size = 0;
        foreach (var header in list)
        {
            AmiAction.ValidateToken(header.Name, nameof(headers), allowEmpty: false);
            AmiAction.ValidateToken(header.Value, nameof(headers), allowEmpty: true);
            size += Utf8.GetByteCount(header.Name) + Utf8.GetByteCount(header.Value);
        }

        var first = list[0].Name;
        var kind = KindOf(first) ?? throw new ArgumentException($"The first header must be Response, Event or Action, not '{first}'.", nameof(headers));
        var data = new byte[size + (list.Count * HeaderSlot.Size)];
        var slots = MemoryMarshal.Cast<byte, HeaderSlot>(data.AsSpan(size));
        var position = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var nameLength = Utf8.GetBytes(list[i].Name, 0, list[i].Name.Length, data, position);
            var valueLength = Utf8.GetBytes(list[i].Value, 0, list[i].Value.Length, data, position + nameLength);
            slots[i] = new HeaderSlot(position, nameLength, position + nameLength, valueLength);
            position += nameLength + valueLength;
        }

        return FromPacked(kind, data, size, list.Count, output);
    }

    /// <summary>Creates the right subtype for <paramref name="kind"/> over header bytes and a separate slot table.</summary>
    internal static AmiMessage FromParts(AmiMessageKind kind, byte[] data, HeaderSlot[] slots, int count, IReadOnlyList<string>? output)
    {
        var packed = new byte[data.Length + (count * HeaderSlot.Size)];
        data.CopyTo(packed, 0);
        MemoryMarshal.AsBytes(slots.AsSpan(0, count)).CopyTo(packed.AsSpan(data.Length));
        return FromPacked(kind, packed, data.Length, count, output);
    }

    /// <summary>
    /// Creates the right subtype for <paramref name="kind"/> over one array holding the header
    /// bytes up to <paramref name="slotsAt"/> and then <paramref name="count"/> slots.
    /// </summary>
    internal static AmiMessage FromPacked(AmiMessageKind kind, byte[] data, int slotsAt, int count, IReadOnlyList<string>? output) => kind switch
    {
        AmiMessageKind.Event => new AmiEvent(data, slotsAt, count, output),
        AmiMessageKind.Response => new AmiResponse(data, slotsAt, count, output),
        _ => new AmiRequest(data, slotsAt, count, output),
    };

    /// <summary>Maps a first header name to a message kind (ASCII case-insensitive), or null.</summary>
    internal static AmiMessageKind? KindOf(ReadOnlySpan<char> firstHeaderName) =>
        firstHeaderName.Equals("Event", StringComparison.OrdinalIgnoreCase) ? AmiMessageKind.Event
        : firstHeaderName.Equals("Response", StringComparison.OrdinalIgnoreCase) ? AmiMessageKind.Response
        : firstHeaderName.Equals("Action", StringComparison.OrdinalIgnoreCase) ? AmiMessageKind.Action
        : null;

    /// <summary>The raw bytes of the name at <paramref name="index"/>, for allocation-free checks.</summary>
    internal ReadOnlySpan<byte> RawNameAt(int index)
    {
        var slot = SlotAt(index);
        return _data.AsSpan(slot.NameStart, slot.NameLength);
    }

    /// <summary>The raw bytes of the value at <paramref name="index"/>, for allocation-free checks.</summary>
    internal ReadOnlySpan<byte> RawValueAt(int index)
    {
        var slot = SlotAt(index);
        return _data.AsSpan(slot.ValueStart, slot.ValueLength);
    }

    /// <summary>Index of the first header named <paramref name="name"/> at or after <paramref name="start"/>, or -1.</summary>
    internal int IndexOf(string name, int start)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return -1;
        }

        // Length and a case-folded first byte rule out nearly every other header before the
        // full comparison.
        var length = name.Length;
        var head = name[0] | 0x20;
        var data = _data;
        var slots = MemoryMarshal.Cast<byte, HeaderSlot>(data.AsSpan(_slotsAt));
        for (var i = start; i < _count; i++)
        {
            var slot = slots[i];
            if (slot.NameLength == length
                && (data[slot.NameStart] | 0x20) == head
                && Ascii.EqualsIgnoreCase(data.AsSpan(slot.NameStart, length), name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The raw bytes of the value at <paramref name="index"/>, for comparisons that need no string.</summary>
    internal ReadOnlySpan<byte> ValueBytesAt(int index)
    {
        var slot = SlotAt(index);
        return _data.AsSpan(slot.ValueStart, slot.ValueLength);
    }

    /// <summary>The value at <paramref name="index"/>, decoded (shared instance for frequent values).</summary>
    internal string ValueAt(int index)
    {
        var slot = SlotAt(index);
        return KnownHeaderNames.DecodeValue(_data.AsSpan(slot.ValueStart, slot.ValueLength));
    }

    private HeaderSlot SlotAt(int index)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "Header index out of range.");
        }

        return MemoryMarshal.Read<HeaderSlot>(_data.AsSpan(_slotsAt + (index * HeaderSlot.Size)));
    }

    private string NameAt(int index)
    {
        var slot = SlotAt(index);
        return KnownHeaderNames.Decode(_data.AsSpan(slot.NameStart, slot.NameLength));
    }
}
