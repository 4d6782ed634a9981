namespace Obelus.Reactive.Cli.Commands;

/// <summary>A command cannot go on; its message is the one line printed on stderr, <see cref="ExitCode"/> the exit code.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message, int exitCode = ExitCodes.Failed)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code (<see cref="ExitCodes.Failed"/> unless the command line was at fault).</summary>
    public int ExitCode { get; }
}
