using System.IO.Pipelines;

namespace Obelus.Reactive.Client;

/// <summary>A pipe over a stream (TLS, say); disposing it disposes the stream and its owner.</summary>
internal sealed class StreamDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly IDisposable? _owner;

    public StreamDuplexPipe(Stream stream, IDisposable? owner)
    {
        _stream = stream;
        _owner = owner;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _owner?.Dispose();
    }
}
