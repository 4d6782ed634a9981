using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Obelus.Reactive.Hosting.Tests;

/// <summary>
/// A client's connection to the simulator whose client-to-server direction can be held: once
/// <see cref="Hold"/> is set, what the client writes never reaches the server (a server that
/// stopped reading), and <see cref="Held"/> completes with the first bytes kept back.
/// </summary>
internal sealed class HoldingConnection : IDuplexPipe
{
    private readonly Pipe _toServer = new();
    private volatile bool _hold;

    public HoldingConnection(IDuplexPipe server)
    {
        Input = server.Input;
        _ = PumpAsync(server.Output);
    }

    public PipeReader Input { get; }

    public PipeWriter Output => _toServer.Writer;

    public TaskCompletionSource<string> Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Hold() => _hold = true;

    /// <summary>Lets later writes through again (what was held stays lost).</summary>
    public void Release() => _hold = false;

    private async Task PumpAsync(PipeWriter server)
    {
        var reader = _toServer.Reader;
        while (true)
        {
            var result = await reader.ReadAsync();
            if (_hold)
            {
                Held.TrySetResult(Encoding.UTF8.GetString(result.Buffer.ToArray()));
            }
            else
            {
                foreach (var segment in result.Buffer)
                {
                    await server.WriteAsync(segment);
                }
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                await server.CompleteAsync();
                await reader.CompleteAsync();
                return;
            }
        }
    }
}
