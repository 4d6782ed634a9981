using Obelus.Reactive.Calls;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// The exit codes of <c>obelus</c>, as docs/cli.md lists them. 0, 1 and 2 mean the same for every
/// command; 3 to 9 are how a call placed by <c>originate</c> turned out.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done: the command ran to its end (for <c>originate</c>: the call was answered).</summary>
    public const int Success = 0;

    /// <summary>The command could not do its job: cannot connect, login refused, connection lost for good, unreadable file.</summary>
    public const int Failed = 1;

    /// <summary>The command line asks for something impossible: unknown option, bad value, missing option, port in use.</summary>
    public const int Usage = 2;

    /// <summary><c>originate</c>: the destination was busy.</summary>
    public const int Busy = 3;

    /// <summary><c>originate</c>: nobody answered before the timeout.</summary>
    public const int NoAnswer = 4;

    /// <summary><c>originate</c>: the network was congested.</summary>
    public const int Congestion = 5;

    /// <summary><c>originate</c>: the destination rejected the call.</summary>
    public const int Rejected = 6;

    /// <summary><c>originate</c>: the call was cancelled before it was answered.</summary>
    public const int Cancelled = 7;

    /// <summary><c>originate</c>: the call failed (refused by the server, no such extension, channel unavailable).</summary>
    public const int CallFailed = 8;

    /// <summary><c>originate</c>: the connection was lost while the call was live, so how it ended is unknown.</summary>
    public const int CallLost = 9;

    /// <summary>Stopped by Ctrl+C (SIGINT) or SIGTERM before it was done (<c>originate</c>, <c>demo</c>); the usual 128 + 2.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for a call that ended with <paramref name="outcome"/>.</summary>
    public static int Of(CallOutcome? outcome) => outcome switch
    {
        CallOutcome.Answered => Success,
        CallOutcome.Busy => Busy,
        CallOutcome.NoAnswer => NoAnswer,
        CallOutcome.Congestion => Congestion,
        CallOutcome.Rejected => Rejected,
        CallOutcome.Cancelled => Cancelled,
        CallOutcome.Lost or CallOutcome.LostDuringDisconnect => CallLost,
        _ => CallFailed,
    };
}
