namespace Obelus.Reactive.Cli.Commands;

/// <summary>A command cannot go on; its message is the one line printed on stderr.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message)
        : base(message)
    {
    }
}
