using Obelus.Reactive.Calls;

namespace Obelus.Reactive.Cli.Rendering;

/// <summary>What the call table shows for one call: its latest state and when it started.</summary>
internal sealed record CallRow(string CallId, CallDirection Direction, string Party, CallState State, DateTimeOffset Started)
{
    /// <summary>Time from the first state to the terminal one (or to <paramref name="now"/> while live).</summary>
    public TimeSpan Duration(DateTimeOffset now) => (State.IsTerminal ? State.Timestamp : now) - Started;

    /// <summary>The state column: the channel state while live, the outcome once ended.</summary>
    public string StateText => State.IsTerminal
        ? State.Outcome?.ToString() ?? State.Change.ToString()
        : State.ChannelStateDescription ?? State.Change.ToString();

    /// <summary>The end column: the hangup cause when there was a channel, else why the call failed (safe to print).</summary>
    public string EndText => State switch
    {
        { IsTerminal: false } => string.Empty,
        { HangupCause: { } cause } => TerminalText.Clean($"{(int)cause} {State.HangupCauseText}"),
        { Failure: { } failure } => TerminalText.Clean(failure.Message),
        _ => string.Empty,
    };

    /// <summary>The dial status column (safe to print).</summary>
    public string DialStatusText => TerminalText.Clean(State.DialStatus);
}
