using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing.Internal;

namespace Obelus.Reactive.Testing;

/// <summary>
/// Serves a raw AMI capture (the bytes a real server sent, e.g. <c>originate_answered.in.ami</c>)
/// to a client: the greeting first, then, each time the client sends an action, the next recorded
/// response and the events that followed it up to the next response. ActionIDs are rewritten to
/// the client's; with the recorded actions (<c>*.out.ami</c>) the tracking variables are too.
/// </summary>
public sealed class AmiCaptureReplay : IAsyncDisposable
{
    private readonly byte[] _greeting;
    private readonly List<AmiMessage> _leading;
    private readonly List<CaptureSegment> _segments;
    private readonly IReadOnlyList<AmiRequest> _recordedActions;
    private readonly AmiCaptureReplayOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private readonly Lock _gate = new();

    private AmiCaptureReplay(byte[] greeting, List<AmiMessage> leading, List<CaptureSegment> segments, IReadOnlyList<AmiRequest> recordedActions, AmiCaptureReplayOptions options)
    {
        _greeting = greeting;
        _leading = leading;
        _segments = segments;
        _recordedActions = recordedActions;
        _options = options;
    }

    /// <summary>The number of recorded responses (one per action the client may send).</summary>
    public int ResponseCount => _segments.Count;

    /// <summary>Loads a capture from files.</summary>
    /// <param name="receivedPath">The bytes the server sent (<c>*.in.ami</c>).</param>
    /// <param name="sentPath">Optionally the bytes the recorder sent (<c>*.out.ami</c>).</param>
    /// <param name="options">Replay settings.</param>
    /// <exception cref="AmiProtocolException">The capture is not valid AMI.</exception>
    public static AmiCaptureReplay Load(string receivedPath, string? sentPath = null, AmiCaptureReplayOptions? options = null) =>
        FromBytes(File.ReadAllBytes(receivedPath), sentPath is null ? null : File.ReadAllBytes(sentPath), options);

    /// <summary>Builds a replay from capture bytes.</summary>
    /// <exception cref="AmiProtocolException">The capture is not valid AMI, or has no greeting line.</exception>
    public static AmiCaptureReplay FromBytes(byte[] received, byte[]? sent = null, AmiCaptureReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(received);
        var items = ReadAll(received, expectBanner: true);
        if (items.Count == 0 || items[0].Banner is null)
        {
            throw new AmiProtocolException(AmiProtocolError.InvalidBanner, 0, null, "The capture does not start with an AMI greeting line.");
        }

        var greeting = Encoding.ASCII.GetBytes(items[0].Banner!.ToString() + "\r\n");
        var leading = new List<AmiMessage>();
        var segments = new List<CaptureSegment>();
        foreach (var item in items.Skip(1))
        {
            var message = item.Message!;
            if (message is AmiResponse response)
            {
                segments.Add(new CaptureSegment(response));
            }
            else if (segments.Count == 0)
            {
                leading.Add(message);
            }
            else
            {
                segments[^1].Following.Add(message);
            }
        }

        var actions = sent is null
            ? []
            : ReadAll(sent, expectBanner: false).Select(i => i.Message).OfType<AmiRequest>().ToList();
        return new AmiCaptureReplay(greeting, leading, segments, actions, options ?? new AmiCaptureReplayOptions());
    }

    /// <summary>Opens an in-memory connection replaying the capture; returns the client's end.</summary>
    public IDuplexPipe CreateConnection()
    {
        var (client, server) = DuplexPipe.CreatePair();
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(() => ServeAsync(server, _stopping.Token)));
        }

        return client;
    }

    /// <summary>Stops every replaying connection.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected while stopping.
        }

        _stopping.Dispose();
    }

    private static List<AmiReadResult> ReadAll(byte[] bytes, bool expectBanner)
    {
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = expectBanner });
        var buffer = new ReadOnlySequence<byte>(bytes);
        var items = new List<AmiReadResult>();
        while (reader.TryRead(ref buffer, out var item))
        {
            if (item.Error is { } error)
            {
                throw error;
            }

            items.Add(item);
        }

        if (reader.Complete(buffer) is { } truncated)
        {
            throw truncated;
        }

        return items;
    }

    private async Task ServeAsync(IDuplexPipe transport, CancellationToken cancellationToken)
    {
        var output = transport.Output;
        var input = transport.Input;
        var rewriter = new CaptureRewriter();
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = false });
        var next = 0;
        try
        {
            await output.WriteAsync(_greeting, cancellationToken).ConfigureAwait(false);
            foreach (var message in _leading)
            {
                AmiWriter.WriteMessage(message, output);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = read.Buffer;
                var actions = new List<AmiRequest>();
                while (reader.TryRead(ref buffer, out var item))
                {
                    if (item.Message is AmiRequest request)
                    {
                        actions.Add(request);
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                foreach (var action in actions)
                {
                    if (next >= _segments.Count)
                    {
                        AmiWriter.WriteMessage(Error(action, "The capture has no more responses."), output);
                        continue;
                    }

                    var recorded = next < _recordedActions.Count ? _recordedActions[next] : null;
                    if (_options.MatchActionNames && recorded is not null && !recorded.Name.Equals(action.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        AmiWriter.WriteMessage(Error(action, $"The capture expects action {recorded.Name} here, not {action.Name}."), output);
                        continue;
                    }

                    var segment = _segments[next++];
                    rewriter.Learn(recorded, segment.Response, action, _options.RewriteVariables);
                    AmiWriter.WriteMessage(rewriter.Rewrite(segment.Response, action.ActionId), output);
                    foreach (var message in segment.Following)
                    {
                        AmiWriter.WriteMessage(rewriter.Rewrite(message, null), output);
                    }
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (next == _segments.Count && _segments.Count > 0 && ServerClosedAtEnd())
                {
                    return;
                }

                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The replay was disposed.
        }
        finally
        {
            await output.CompleteAsync().ConfigureAwait(false);
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The recorded server closed after its last response when that was Goodbye or a refused login.</summary>
    private bool ServerClosedAtEnd()
    {
        var last = _segments[^1].Response;
        return last.HeaderEquals("Response", "Goodbye") || (last.IsError && _segments.Count == 1);
    }

    private static AmiResponse Error(AmiRequest action, string message) =>
        action.ActionId is { } id
            ? AmiResponse.Create("Error", ("ActionID", id), ("Message", message))
            : AmiResponse.Create("Error", ("Message", message));
}
