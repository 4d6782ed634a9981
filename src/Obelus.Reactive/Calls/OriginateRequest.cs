using System.Globalization;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>
/// What to originate: a channel to call and where to connect it, either a dialplan location
/// (<see cref="Context"/>, <see cref="Exten"/>, <see cref="Priority"/>) or an application
/// (<see cref="Application"/>, <see cref="Data"/>).
/// </summary>
public sealed record OriginateRequest
{
    private static readonly string[] ReservedHeaders =
    [
        "Action", "ActionID", "Channel", "Context", "Exten", "Priority", "Application", "Data", "Timeout",
        "CallerID", "Async", "Account", "Codecs", "Variable", "ChannelId", "OtherChannelId",
    ];

    /// <summary>The channel to call, e.g. <c>PJSIP/alice</c> or <c>Local/100@default</c>.</summary>
    public required string Channel { get; init; }

    /// <summary>Dialplan context to connect the answered channel to (with <see cref="Exten"/>).</summary>
    public string? Context { get; init; }

    /// <summary>Dialplan extension (with <see cref="Context"/>).</summary>
    public string? Exten { get; init; }

    /// <summary>Dialplan priority; 1 when <see cref="Exten"/> is set and this is not.</summary>
    public int? Priority { get; init; }

    /// <summary>Application to run on the answered channel instead of a dialplan location.</summary>
    public string? Application { get; init; }

    /// <summary>The application's arguments.</summary>
    public string? Data { get; init; }

    /// <summary>Caller id shown to the callee, e.g. <c>"Sales" &lt;100&gt;</c>.</summary>
    public string? CallerId { get; init; }

    /// <summary>How long to wait for an answer (Asterisk's default is 30 s).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// True (the default): Asterisk answers at once and reports the result later in an
    /// OriginateResponse. False: the response waits until the call is answered or has failed.
    /// </summary>
    public bool Async { get; init; } = true;

    /// <summary>Account code for the new channel.</summary>
    public string? Account { get; init; }

    /// <summary>Codecs to offer, e.g. <c>["ulaw", "alaw"]</c>.</summary>
    public IReadOnlyList<string>? Codecs { get; init; }

    /// <summary>Channel variables to set (names without '='; the tracking variable is ours).</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    /// <summary>Any other Originate headers (e.g. <c>EarlyMedia</c>, <c>PreDialGoSub</c>); the typed ones above are refused here.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders { get; init; }

    /// <summary>Checks the request on its own.</summary>
    /// <exception cref="ArgumentException">The request is incomplete, contradictory, or a value could inject headers.</exception>
    public void Validate() => Validate(trackingVariable: null);

    internal void Validate(string? trackingVariable)
    {
        if (string.IsNullOrWhiteSpace(Channel) || !Channel.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Channel '{Channel}' must name a technology and a resource, e.g. 'PJSIP/alice'.");
        }

        if (Application is not null)
        {
            if (Context is not null || Exten is not null || Priority is not null)
            {
                throw new ArgumentException("Give either Application (with Data) or Context/Exten/Priority, not both.");
            }

            if (Application.Length == 0)
            {
                throw new ArgumentException("Application must not be empty.");
            }
        }
        else
        {
            if (string.IsNullOrEmpty(Context) || string.IsNullOrEmpty(Exten))
            {
                throw new ArgumentException("Give Context and Exten (and optionally Priority), or an Application.");
            }

            if (Data is not null)
            {
                throw new ArgumentException("Data goes with Application only.");
            }
        }

        if (Priority is < 1)
        {
            throw new ArgumentException($"Priority must be 1 or more (was {Priority}).");
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Timeout must be positive (was {timeout}).");
        }

        foreach (var name in Variables?.Keys ?? [])
        {
            if (trackingVariable is not null && name.Equals(trackingVariable, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Variable '{name}' is the manager's tracking variable.");
            }
        }

        foreach (var header in ExtraHeaders ?? [])
        {
            if (Array.Exists(ReservedHeaders, r => r.Equals(header.Key, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"Header '{header.Key}' is set through its own property or by the manager.");
            }
        }

        // Building the action checks every name and value for CR, LF and NUL.
        _ = ToAction(trackingVariable ?? "X_VALIDATE", "0", "validate", null, null);
    }

    internal AmiAction ToAction(string trackingVariable, string callId, string actionId, string? channelId, string? otherChannelId)
    {
        var action = new AmiAction("Originate") { ActionId = actionId };
        action.Add("Channel", Channel);
        if (Application is not null)
        {
            action.Add("Application", Application).AddIfNotNull("Data", Data);
        }
        else
        {
            action.Add("Context", Context!).Add("Exten", Exten!)
                .Add("Priority", (Priority ?? 1).ToString(CultureInfo.InvariantCulture));
        }

        if (Timeout is { } timeout)
        {
            action.Add("Timeout", ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        action.AddIfNotNull("CallerID", CallerId).AddIfNotNull("Account", Account);
        if (Codecs is { Count: > 0 })
        {
            action.Add("Codecs", string.Join(',', Codecs));
        }

        if (Async)
        {
            action.Add("Async", "true");
        }

        action.AddVariable(trackingVariable, callId);
        foreach (var (name, value) in Variables ?? new Dictionary<string, string>())
        {
            action.AddVariable(name, value);
        }

        if (channelId is not null)
        {
            action.Add("ChannelId", channelId).AddIfNotNull("OtherChannelId", otherChannelId);
        }

        foreach (var (name, value) in ExtraHeaders ?? [])
        {
            action.Add(name, value);
        }

        return action;
    }
}
