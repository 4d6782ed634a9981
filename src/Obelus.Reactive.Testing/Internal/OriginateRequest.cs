using System.Globalization;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>The parts of an Originate action the simulator acts on.</summary>
internal sealed class OriginateRequest
{
    public required string ActionId { get; init; }

    public required string Channel { get; init; }

    public bool Async { get; init; }

    public TimeSpan Timeout { get; init; }

    public string? CallerIdNum { get; init; }

    public string? CallerIdName { get; init; }

    public required IReadOnlyList<(string Name, string Value)> Variables { get; init; }

    public string? Application { get; init; }

    public string? Data { get; init; }

    public required string Context { get; init; }

    public required string Exten { get; init; }

    public string? ChannelId { get; init; }

    public string? OtherChannelId { get; init; }

    /// <summary>For <c>Local/exten@context</c> channels: the Local destination, else null.</summary>
    public (string Exten, string Context)? Local { get; init; }

    public static OriginateRequest Parse(AmiRequest request)
    {
        var channel = request["Channel"] ?? string.Empty;
        var timeoutText = request["Timeout"];
        var timeout = long.TryParse(timeoutText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromSeconds(30);
        var (num, name) = ParseCallerId(request["CallerID"]);
        var variables = new List<(string, string)>();
        foreach (var header in request.GetValues("Variable"))
        {
            // One header may set several variables, as on a real server: NOTE=a,X=1 sets two.
            foreach (var assignment in ApplicationArguments.Split(header.TrimStart(' ', '\t')))
            {
                var equals = assignment.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    variables.Add((assignment[..equals], assignment[(equals + 1)..]));
                }
            }
        }

        return new OriginateRequest
        {
            ActionId = request.ActionId ?? string.Empty,
            Channel = channel,
            Async = IsTrue(request["Async"]),
            Timeout = timeout,
            CallerIdNum = num,
            CallerIdName = name,
            Variables = variables,
            Application = request["Application"],
            Data = request["Data"] ?? string.Empty,
            Context = request["Context"] ?? "default",
            Exten = request["Exten"] ?? "s",
            ChannelId = NullIfEmpty(request["ChannelId"]),
            OtherChannelId = NullIfEmpty(request["OtherChannelId"]),
            Local = ParseLocal(channel),
        };
    }

    /// <summary>Splits <c>"Name" &lt;number&gt;</c>; a bare value is the number.</summary>
    public static (string? Num, string? Name) ParseCallerId(string? callerId)
    {
        if (string.IsNullOrWhiteSpace(callerId))
        {
            return (null, null);
        }

        var open = callerId.LastIndexOf('<');
        var close = callerId.LastIndexOf('>');
        if (open >= 0 && close > open)
        {
            var number = callerId[(open + 1)..close].Trim();
            var name = callerId[..open].Trim().Trim('"').Trim();
            return (number.Length == 0 ? "<unknown>" : number, name.Length == 0 ? "<unknown>" : name);
        }

        return (callerId.Trim(), "<unknown>");
    }

    private static (string, string)? ParseLocal(string channel)
    {
        if (!channel.StartsWith("Local/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var target = channel["Local/".Length..];
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            target = target[..slash];
        }

        var at = target.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? (target[..at], target[(at + 1)..]) : (target, "default");
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
