using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Obelus.Reactive.Benchmarks;

/// <summary>The two reference readers that every end-to-end figure is compared with.</summary>
public static class Baselines
{
    /// <summary>
    /// The transport ceiling: read the socket into one buffer and count blank-line
    /// terminators with a vectorised search, nothing else.
    /// </summary>
    public static async Task<long> CountTerminatorsAsync(IPEndPoint endPoint)
    {
        const int Kept = 3;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint).ConfigureAwait(false);
        var buffer = new byte[Kept + (64 * 1024)];
        long count = 0;

        // The last three bytes of each read move to the front, so a terminator split across reads still counts.
        var kept = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer.AsMemory(kept), SocketFlags.None).ConfigureAwait(false)) > 0)
        {
            var length = kept + read;
            count += CountTerminators(buffer.AsSpan(0, length));
            kept = Math.Min(Kept, length);
            buffer.AsSpan(length - kept, kept).CopyTo(buffer);
        }

        return count;
    }

    private static int CountTerminators(ReadOnlySpan<byte> span)
    {
        var count = 0;
        int found;
        while ((found = span.IndexOf("\r\n\r\n"u8)) >= 0)
        {
            count++;
            span = span[(found + 2)..];
        }

        return count;
    }

    /// <summary>
    /// What most hand-written clients do: <see cref="StreamReader.ReadLine"/> and a
    /// dictionary of strings per message.
    /// </summary>
    public static async Task<long> StreamReaderDictionaryAsync(IPEndPoint endPoint, Func<Dictionary<string, string>, bool> consume)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint).ConfigureAwait(false);
        using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
        _ = await reader.ReadLineAsync().ConfigureAwait(false);
        long count = 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? line;
        while ((line = await reader.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            if (line.Length == 0)
            {
                if (headers.Count > 0 && consume(headers))
                {
                    count++;
                }

                headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon]] = line[(colon + 1)..].TrimStart();
            }
        }

        return count;
    }
}
