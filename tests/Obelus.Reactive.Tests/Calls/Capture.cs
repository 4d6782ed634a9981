using System.Buffers;
using System.Globalization;
using System.Text;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>The real Asterisk captures, parsed, and a compact rendering of call states to compare sequences.</summary>
internal static class Capture
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Traces", name + ".in.ami");

    /// <summary>Every message of capture <paramref name="name"/> in wire order; <paramref name="rewrite"/> may edit the text first.</summary>
    public static List<AmiMessage> Read(string name, Func<string, string>? rewrite = null) =>
        Parse(ReadBytes(PathOf(name)), rewrite);

    /// <summary>The actions the recorder sent in capture <paramref name="name"/>.</summary>
    public static List<AmiRequest> ReadSent(string name)
    {
        var bytes = ReadBytes(Path.Combine(AppContext.BaseDirectory, "Traces", name + ".out.ami"));
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = false });
        var buffer = new ReadOnlySequence<byte>(bytes);
        var actions = new List<AmiRequest>();
        while (reader.TryRead(ref buffer, out var result))
        {
            if (result.Message is AmiRequest request)
            {
                actions.Add(request);
            }
        }

        return actions;
    }

    /// <summary>The bytes of a capture file, or of its gzip-compressed form (<c>.gz</c>) for the large ones.</summary>
    private static byte[] ReadBytes(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        using var compressed = File.OpenRead(path + ".gz");
        using var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static List<AmiMessage> Parse(byte[] bytes, Func<string, string>? rewrite)
    {
        if (rewrite is not null)
        {
            bytes = Encoding.UTF8.GetBytes(rewrite(Encoding.UTF8.GetString(bytes)));
        }

        var reader = new AmiMessageReader();
        var buffer = new ReadOnlySequence<byte>(bytes);
        var messages = new List<AmiMessage>();
        while (reader.TryRead(ref buffer, out var result))
        {
            if (result.Error is { } error)
            {
                throw error;
            }

            if (result.Message is { } message)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>One line per state: the change, then every field that is set.</summary>
    public static string Render(CallState state)
    {
        var builder = new StringBuilder(state.Change.ToString());
        if (state.ChannelState is { } channelState)
        {
            builder.Append(" state=").Append((int)channelState);
        }

        if (state.DialStatus is { } dial)
        {
            builder.Append(" dial=").Append(dial);
        }

        if (state.HangupCause is { } cause)
        {
            builder.Append(" cause=").Append((int)cause);
        }

        if (state.Outcome is { } outcome)
        {
            builder.Append(" outcome=").Append(outcome);
        }

        if (state.Failure is { } failure)
        {
            builder.Append(" failure=").Append(failure.OriginateReason?.ToString(CultureInfo.InvariantCulture) ?? failure.Message);
        }

        return builder.Append(" ids=").Append(state.UniqueIds.Count).ToString();
    }
}
