using System.Text;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// A fixed set of strings found by their exact UTF-8 bytes, so decoding a frequent header name
/// or value returns a shared instance instead of allocating.
/// </summary>
internal sealed class Utf8InternTable
{
    private readonly Entry[] _entries;
    private readonly int _mask;
    private readonly int _maxLength;

    public Utf8InternTable(IEnumerable<string> texts)
    {
        var distinct = texts.Distinct(StringComparer.Ordinal).ToList();

        // Open addressing at most a quarter full keeps probe chains to a step or two.
        var size = 16;
        while (size < distinct.Count * 4)
        {
            size *= 2;
        }

        _entries = new Entry[size];
        _mask = size - 1;
        foreach (var text in distinct)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            if (bytes.Length == 0)
            {
                continue;
            }

            var index = Hash(bytes) & _mask;
            while (_entries[index].Bytes is not null)
            {
                index = (index + 1) & _mask;
            }

            _entries[index] = new Entry(bytes, text);
            _maxLength = Math.Max(_maxLength, bytes.Length);
        }
    }

    /// <summary>The shared string whose UTF-8 form is exactly <paramref name="bytes"/>, or null.</summary>
    public string? Find(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > _maxLength)
        {
            return null;
        }

        var entries = _entries;
        var index = Hash(bytes) & _mask;
        while (true)
        {
            var entry = entries[index];
            if (entry.Bytes is null)
            {
                return null;
            }

            if (bytes.SequenceEqual(entry.Bytes))
            {
                return entry.Text;
            }

            index = (index + 1) & _mask;
        }
    }

    private static int Hash(ReadOnlySpan<byte> bytes) =>
        (bytes.Length * 31) ^ (bytes[0] * 7) ^ (bytes[^1] * 131) ^ (bytes[bytes.Length >> 1] * 1031);

    private readonly record struct Entry(byte[]? Bytes, string Text);
}
