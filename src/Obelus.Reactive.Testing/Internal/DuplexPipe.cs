using System.IO.Pipelines;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>A reader and a writer seen as one connection end.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;

    /// <summary>Two crossed pipes: what one end writes, the other reads.</summary>
    public static (IDuplexPipe Client, IDuplexPipe Server) CreatePair()
    {
        var options = new PipeOptions(useSynchronizationContext: false);
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        return (new DuplexPipe(toClient.Reader, toServer.Writer), new DuplexPipe(toServer.Reader, toClient.Writer));
    }
}
