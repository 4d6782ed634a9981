using Xunit;
using System.Buffers;
using System.Text;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Tests.Protocol;

/// <summary>Runs an <see cref="AmiMessageReader"/> over input and renders what it read, for comparisons.</summary>
internal static class ReaderDriver
{
    public static readonly AmiReaderOptions NoBanner = new() { ExpectBanner = false };

    /// <summary>Reads everything from one sequence; returns the items and the reader (for Offset / Complete).</summary>
    public static List<AmiReadResult> ReadAll(ReadOnlySequence<byte> input, AmiMessageReader reader, out ReadOnlySequence<byte> remaining)
    {
        var results = new List<AmiReadResult>();
        var guard = 0;
        while (reader.TryRead(ref input, out var result))
        {
            results.Add(result);
            Assert.True(++guard < 1_000_000, "reader did not make progress");
        }

        remaining = input;
        return results;
    }

    public static List<AmiReadResult> ReadAll(byte[] input, AmiReaderOptions? options = null) =>
        ReadAll(new ReadOnlySequence<byte>(input), new AmiMessageReader(options), out _);

    public static List<AmiReadResult> ReadAll(string input, AmiReaderOptions? options = null) =>
        ReadAll(Encoding.UTF8.GetBytes(input), options ?? NoBanner);

    /// <summary>
    /// Feeds <paramref name="chunks"/> one at a time as a pipe would: what the reader leaves is
    /// kept and the next chunk appended. Records how many bytes stayed buffered at most.
    /// </summary>
    public static List<AmiReadResult> Feed(AmiMessageReader reader, IEnumerable<byte[]> chunks, out long maxBuffered, out ReadOnlySequence<byte> remaining)
    {
        var results = new List<AmiReadResult>();
        var pending = Array.Empty<byte>();
        maxBuffered = 0;
        remaining = ReadOnlySequence<byte>.Empty;
        foreach (var chunk in chunks)
        {
            var buffer = Segments.Of(pending, chunk);
            while (reader.TryRead(ref buffer, out var result))
            {
                results.Add(result);
            }

            pending = buffer.ToArray();
            maxBuffered = Math.Max(maxBuffered, pending.Length);
            remaining = new ReadOnlySequence<byte>(pending);
        }

        return results;
    }

    /// <summary>A text rendering of a result: kind, every header in order, and output lines.</summary>
    public static string Render(AmiReadResult result)
    {
        if (result.Banner is { } banner)
        {
            return "banner " + banner.Name + "|" + banner.Version;
        }

        if (result.Error is { } error)
        {
            return $"error {error.Error} @{error.Offset} {error.Line}";
        }

        var message = result.Message!;
        var builder = new StringBuilder().Append(message.Kind).Append('\n');
        foreach (var header in message)
        {
            builder.Append('[').Append(header.Name).Append("]=[").Append(header.Value).Append("]\n");
        }

        foreach (var line in message.Output)
        {
            builder.Append("out[").Append(line).Append("]\n");
        }

        return builder.ToString();
    }

    public static List<string> RenderAll(IEnumerable<AmiReadResult> results) => results.Select(Render).ToList();

    public static AmiMessage Single(string input, AmiReaderOptions? options = null)
    {
        var results = ReadAll(input, options);
        var only = Assert.Single(results);
        Assert.Null(only.Error);
        return Assert.IsAssignableFrom<AmiMessage>(only.Message);
    }
}
