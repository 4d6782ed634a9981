using System.Runtime.InteropServices;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation, so a command can stop cleanly
/// (log off, hang up its call, print its summary) instead of being killed. A second signal is
/// left to its default action, which ends the process at once.
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _interrupted = new();
    private readonly PosixSignalRegistration[] _registrations;

    public InterruptSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _interrupted.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _interrupted.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_interrupted.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;

        // Off the signal thread: cancellation callbacks run the commands' shutdown code.
        _ = Task.Run(_interrupted.Cancel);
    }
}
