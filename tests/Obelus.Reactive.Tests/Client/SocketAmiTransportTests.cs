using System.Net;
using System.Net.Sockets;
using System.Text;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class SocketAmiTransportTests
{
    [Fact]
    public async Task Client_logs_in_receives_an_event_and_logs_off_over_loopback_tcp()
    {
        using var safety = new CancellationTokenSource(FakeAmiServer.Safety);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serverSaw = new List<string>();
        var server = ServeAsync(listener, serverSaw, safety.Token);
        var options = new AmiClientOptions { Host = "127.0.0.1", Port = port, Username = "obelus", Secret = "obelus", KeepAliveInterval = null };

        var client = await AmiClient.ConnectAsync(options, cancellationToken: safety.Token).WaitAsync(safety.Token);
        var firstEvent = new TaskCompletionSource<AmiEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (client.Events.Subscribe(e => firstEvent.TrySetResult(e)))
        {
            var pong = await client.SendAsync(new AmiAction("Ping")).WaitAsync(safety.Token);
            var evt = await firstEvent.Task.WaitAsync(safety.Token);
            Assert.Equal("Pong", pong["Ping"]);
            Assert.Equal("FullyBooted", evt.Name);
            Assert.Equal("11.0.0", client.Banner!.Version);
        }

        await client.DisposeAsync().AsTask().WaitAsync(safety.Token);
        await server.WaitAsync(safety.Token);
        Assert.Equal(["Login", "Ping", "Logoff"], serverSaw);
        Assert.Equal(AmiConnectionStatus.Closed, client.State.Status);
    }

    [Theory]
    [InlineData(200 * 1024, AmiTransport.DefaultReceiveBufferBytes)]
    [InlineData(3 * 1024 * 1024, AmiTransport.DefaultReceiveBufferBytes)]
    [InlineData(100 * 1024, 8 * 1024)]
    public async Task An_event_larger_than_the_receive_buffer_arrives_whole_over_loopback_tcp(int payloadBytes, int receiveBufferBytes)
    {
        // The read loop cannot consume a message until its last byte is in: the socket loop must
        // not stop for the buffer limit while it holds only part of one message.
        using var safety = new CancellationTokenSource(FakeAmiServer.Safety);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = ServeBigEventAsync(listener, payloadBytes, safety.Token);
        var options = new AmiClientOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "obelus",
            Secret = "obelus",
            KeepAliveInterval = null,
            ReaderOptions = new AmiReaderOptions { MaxLineLength = payloadBytes + 64 },
        };

        var client = await AmiClient.ConnectAsync(options, AmiTransport.Tcp("127.0.0.1", port, receiveBufferBytes), cancellationToken: safety.Token).WaitAsync(safety.Token);
        await using (client)
        {
            var events = new List<AmiEvent>();
            var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = client.Events.Subscribe(e =>
            {
                events.Add(e);
                if (e.Name == "After")
                {
                    after.TrySetResult();
                }
            });
            await client.SendAsync(new AmiAction("Ping")).WaitAsync(safety.Token);
            await after.Task.WaitAsync(safety.Token);

            Assert.Equal(["Big", "After"], events.Select(e => e.Name));
            Assert.Equal(payloadBytes, events[0]["Payload"]!.Length);
        }

        await server.WaitAsync(safety.Token);
    }

    [Fact]
    public void A_receive_buffer_under_4_KB_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AmiTransport.Tcp("127.0.0.1", 5038, 1024));
        Assert.Equal("receiveBufferBytes", error.ParamName);
    }

    /// <summary>Greets, accepts the login, answers the Ping with one huge event and a small one, says Goodbye.</summary>
    private static async Task ServeBigEventAsync(TcpListener listener, int payloadBytes, CancellationToken token)
    {
        using var socket = await listener.AcceptTcpClientAsync(token);
        await using var stream = socket.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteAsync("Asterisk Call Manager/11.0.0\r\n");
        while (await ReadActionAsync(reader, token) is { } headers)
        {
            var id = headers["ActionID"];
            switch (headers["Action"])
            {
                case "Ping":
                    await writer.WriteAsync("Event: Big\r\nPayload: " + new string('x', payloadBytes) + "\r\n\r\nEvent: After\r\n\r\n");
                    await writer.WriteAsync($"Response: Success\r\nActionID: {id}\r\n\r\n");
                    break;
                case "Logoff":
                    await writer.WriteAsync($"Response: Goodbye\r\nActionID: {id}\r\n\r\n");
                    return;
                default:
                    await writer.WriteAsync($"Response: Success\r\nActionID: {id}\r\n\r\n");
                    break;
            }
        }
    }

    /// <summary>The headers of the client's next action, or null when it closed the connection.</summary>
    private static async Task<Dictionary<string, string>?> ReadActionAsync(StreamReader reader, CancellationToken token)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? line;
        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(token)))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return line is null ? null : headers;
    }

    /// <summary>A few scripted lines of AMI: greet, accept the login, answer Ping, say Goodbye.</summary>
    private static async Task ServeAsync(TcpListener listener, List<string> saw, CancellationToken token)
    {
        using var socket = await listener.AcceptTcpClientAsync(token);
        await using var stream = socket.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteAsync("Asterisk Call Manager/11.0.0\r\n");
        while (await ReadActionAsync(reader, token) is { } headers)
        {
            var action = headers["Action"];
            var id = headers["ActionID"];
            saw.Add(action);
            switch (action)
            {
                case "Login":
                    Assert.Equal("obelus", headers["Secret"]);
                    await writer.WriteAsync($"Response: Success\r\nActionID: {id}\r\nMessage: Authentication accepted\r\n\r\n");
                    break;
                case "Ping":
                    // Sent now rather than at login: Events is hot, the test subscribes after connecting.
                    await writer.WriteAsync("Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n");
                    await writer.WriteAsync($"Response: Success\r\nActionID: {id}\r\nPing: Pong\r\nTimestamp: 1764146195.000000\r\n\r\n");
                    break;
                case "Logoff":
                    await writer.WriteAsync($"Response: Goodbye\r\nActionID: {id}\r\nMessage: Thanks for all the fish.\r\n\r\n");
                    return;
            }
        }
    }
}
