using System.Text.RegularExpressions;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>
/// One session filter as the <c>Filter</c> action adds it: an unanchored regex matched against the
/// whole event text, or an event-name match from <c>MatchCriteria</c>; include or exclude.
/// </summary>
internal sealed class EventFilter
{
    private readonly Regex? _regex;
    private readonly string? _eventName;

    private EventFilter(Regex? regex, string? eventName, bool exclude)
    {
        _regex = regex;
        _eventName = eventName;
        Exclude = exclude;
    }

    public bool Exclude { get; }

    /// <summary>Parses a legacy <c>Filter:</c> value: a regex, <c>!</c> in front for exclude.</summary>
    /// <exception cref="ArgumentException">The regex does not compile.</exception>
    public static EventFilter FromLegacy(string value, TimeSpan matchTimeout)
    {
        var exclude = value.StartsWith('!');
        var pattern = exclude ? value[1..] : value;
        return new EventFilter(new Regex(pattern, RegexOptions.CultureInvariant, matchTimeout), null, exclude);
    }

    /// <summary>
    /// Parses the subset of <c>MatchCriteria</c> the simulator understands: <c>action(include|exclude)</c>
    /// and <c>name(EventName)</c>, with an optional regex from <c>Filter:</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown criterion or a bad regex.</exception>
    public static EventFilter FromCriteria(string criteria, string? regex, TimeSpan matchTimeout)
    {
        var exclude = false;
        string? name = null;
        foreach (var part in criteria.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var open = part.IndexOf('(', StringComparison.Ordinal);
            if (open <= 0 || !part.EndsWith(')'))
            {
                throw new ArgumentException($"Unknown match criterion '{part}'.", nameof(criteria));
            }

            var key = part[..open];
            var argument = part[(open + 1)..^1];
            switch (key.ToUpperInvariant())
            {
                case "ACTION":
                    exclude = argument.Equals("exclude", StringComparison.OrdinalIgnoreCase);
                    break;
                case "NAME":
                    name = argument;
                    break;
                default:
                    throw new ArgumentException($"Unsupported match criterion '{key}'.", nameof(criteria));
            }
        }

        var compiled = string.IsNullOrEmpty(regex) ? null : new Regex(regex, RegexOptions.CultureInvariant, matchTimeout);
        return new EventFilter(compiled, name, exclude);
    }

    /// <summary>True when the event matches (a regex timeout counts as no match).</summary>
    public bool Matches(string eventName, string eventText)
    {
        if (_eventName is not null && !_eventName.Equals(eventName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            return _regex is null || _regex.IsMatch(eventText);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Asterisk's rule: with include filters one must match; no exclude filter may match.</summary>
    public static bool Passes(IReadOnlyList<EventFilter> filters, string eventName, string eventText)
    {
        var hasInclude = false;
        var included = false;
        foreach (var filter in filters)
        {
            if (filter.Exclude)
            {
                if (filter.Matches(eventName, eventText))
                {
                    return false;
                }
            }
            else
            {
                hasInclude = true;
                included = included || filter.Matches(eventName, eventText);
            }
        }

        return !hasInclude || included;
    }
}
