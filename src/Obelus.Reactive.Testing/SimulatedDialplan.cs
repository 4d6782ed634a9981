namespace Obelus.Reactive.Testing;

/// <summary>
/// The simulated Asterisk's dialplan: extensions by <c>context</c> and <c>exten</c>. An extension
/// that is not here behaves like a missing one on a real server (the Local channel pair is
/// created, then both halves hang up with cause 0 and OriginateResponse has reason 0).
/// </summary>
public sealed class SimulatedDialplan
{
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create("@/ \t\r\n;");
    private readonly Dictionary<(string Context, string Exten), ScriptedDestination> _extensions = [];
    private readonly Lock _gate = new();

    /// <summary>
    /// The dialplan the reference captures were recorded with, plus named aliases: in context
    /// <c>default</c>, 100/<c>answer</c> (answer, 1 s), 200/<c>busy</c>, 300/<c>noanswer</c>,
    /// 400/<c>dial</c> (dials Local/100@default), 500/<c>congestion</c>, 600 (dials the busy 200),
    /// <c>dialtimeout</c> (dials the unanswered 300), 1000/<c>long</c> (answer, 30 s);
    /// in context <c>incoming</c>, 900 (answer, 2 s).
    /// </summary>
    public static SimulatedDialplan CreateDefault()
    {
        var plan = new SimulatedDialplan();
        plan.Add("100", ScriptedDestination.Answer(TimeSpan.FromSeconds(1)));
        plan.Add("answer", ScriptedDestination.Answer(TimeSpan.FromSeconds(1)));
        plan.Add("200", ScriptedDestination.Busy());
        plan.Add("busy", ScriptedDestination.Busy());
        plan.Add("300", ScriptedDestination.NoAnswer());
        plan.Add("noanswer", ScriptedDestination.NoAnswer());
        plan.Add("400", ScriptedDestination.DialLocal("100@default"));
        plan.Add("dial", ScriptedDestination.DialLocal("100@default"));
        plan.Add("600", ScriptedDestination.DialLocal("200@default"));
        plan.Add("dialtimeout", ScriptedDestination.DialLocal("300@default"));
        plan.Add("500", ScriptedDestination.Congestion());
        plan.Add("congestion", ScriptedDestination.Congestion());
        plan.Add("1000", ScriptedDestination.Answer(TimeSpan.FromSeconds(30)));
        plan.Add("long", ScriptedDestination.Answer(TimeSpan.FromSeconds(30)));
        plan.Add("900", ScriptedDestination.Answer(TimeSpan.FromSeconds(2)), "incoming");
        return plan;
    }

    /// <summary>Adds or replaces extension <paramref name="exten"/> in <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentException">An empty extension or context, or one containing <c>@</c>, <c>/</c> or white space.</exception>
    public SimulatedDialplan Add(string exten, ScriptedDestination destination, string context = "default")
    {
        Validate(exten, nameof(exten));
        Validate(context, nameof(context));
        ArgumentNullException.ThrowIfNull(destination);
        lock (_gate)
        {
            _extensions[(context, exten)] = destination;
        }

        return this;
    }

    /// <summary>Finds extension <paramref name="exten"/> in <paramref name="context"/>.</summary>
    public bool TryResolve(string context, string exten, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ScriptedDestination? destination)
    {
        lock (_gate)
        {
            return _extensions.TryGetValue((context, exten), out destination);
        }
    }

    private static void Validate(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.AsSpan().IndexOfAny(Forbidden) >= 0)
        {
            throw new ArgumentException($"'{value}' is not a valid dialplan name.", name);
        }
    }
}
