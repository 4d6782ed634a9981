using Obelus.Reactive.Testing;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>
/// Disposes a simulator whose TCP connections a test reset: a session may then end with the
/// IOException of its aborted socket, which the simulator's DisposeAsync passes on. The tests
/// using this are about the CLI's side of the loss, not about that cleanup.
/// </summary>
internal sealed class SimulatorAfterReset(AmiSimulator simulator) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await simulator.DisposeAsync();
        }
        catch (IOException)
        {
        }
    }
}
