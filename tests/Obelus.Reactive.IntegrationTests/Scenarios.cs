using Obelus.Reactive.Calls;
using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>
/// The dialplan of tests/asterisk/etc/extensions.conf as Originate requests, each with the outcome
/// a real Asterisk gives it. The simulator's default dialplan follows the same file.
/// </summary>
internal static class Scenarios
{
    /// <summary>An Originate to <paramref name="destination"/>; once answered, the first half runs <paramref name="exten"/> (100 talks 1 s, 1000 talks 30 s).</summary>
    public static OriginateRequest Request(string destination, TimeSpan? timeout = null, string exten = "100") => new()
    {
        Channel = destination,
        Context = "default",
        Exten = exten,
        Priority = 1,
        CallerId = "\"Obelus Test\" <100>",
        Timeout = timeout ?? TimeSpan.FromSeconds(20),
    };

    /// <summary>A call that stays up for 30 s unless hung up.</summary>
    public static OriginateRequest Long => Request("Local/1000@default", exten: "1000");

    /// <summary>Destination, Originate timeout in seconds (0: default), outcome.</summary>
    public static TheoryData<string, int, CallOutcome> Outcomes => new()
    {
        { "Local/100@default", 0, CallOutcome.Answered },
        { "Local/200@default", 0, CallOutcome.Busy },
        { "Local/300@default", 2, CallOutcome.NoAnswer },
        { "Local/500@default", 0, CallOutcome.Congestion },
        { "Local/999@nonexistent", 0, CallOutcome.Failed },
        { "Local/400@default", 0, CallOutcome.Answered },
    };

    /// <summary>The mix for load runs: every outcome, in a fixed rotation.</summary>
    public static (OriginateRequest Request, CallOutcome Outcome) Mixed(int index)
    {
        var (destination, timeout, outcome) = (index % 6) switch
        {
            0 => ("Local/100@default", 20, CallOutcome.Answered),
            1 => ("Local/200@default", 20, CallOutcome.Busy),
            2 => ("Local/300@default", 2, CallOutcome.NoAnswer),
            3 => ("Local/500@default", 20, CallOutcome.Congestion),
            4 => ("Local/999@nonexistent", 20, CallOutcome.Failed),
            _ => ("Local/400@default", 20, CallOutcome.Answered),
        };
        return (Request(destination, TimeSpan.FromSeconds(timeout)), outcome);
    }
}
