using Obelus.Reactive.Calls;

namespace Obelus.Reactive.Cli.Rendering;

/// <summary>
/// The calls a command follows, updated from any thread, read by whoever renders them.
/// Rows keep the order calls first appeared in.
/// </summary>
internal sealed class CallBoard
{
    private readonly Lock _gate = new();
    private readonly List<CallRow> _rows = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private int _live;
    private string? _status;

    /// <summary>Raised after every change, with the updated row (on the thread that reported it).</summary>
    public event Action<CallRow>? Changed;

    /// <summary>Raised when <see cref="Status"/> changes to a new text, with that text (setting the same text again raises nothing).</summary>
    public event Action<string>? StatusChanged;

    /// <summary>One line on the connection (connected, reconnecting in N s, lost), or null when there is none to show.</summary>
    public string? Status
    {
        get => Volatile.Read(ref _status);
        set
        {
            var text = TerminalText.Clean(value);
            if (!string.Equals(Interlocked.Exchange(ref _status, text), text, StringComparison.Ordinal))
            {
                StatusChanged?.Invoke(text);
            }
        }
    }

    /// <summary>Calls that have not reached a terminal state.</summary>
    public int LiveCount
    {
        get
        {
            lock (_gate)
            {
                return _live;
            }
        }
    }

    /// <summary>A copy of the rows, in order of appearance.</summary>
    public IReadOnlyList<CallRow> Snapshot()
    {
        lock (_gate)
        {
            return [.. _rows];
        }
    }

    /// <summary>Records a state of the call shown as <paramref name="party"/> (server text: control characters are neutralised here).</summary>
    public void Update(string party, CallState state)
    {
        CallRow row;
        lock (_gate)
        {
            var key = KeyOf(state.Direction, state.CallId);
            if (_index.TryGetValue(key, out var position))
            {
                var previous = _rows[position];
                if (previous.State.IsTerminal)
                {
                    return;
                }

                row = previous with { State = state };
                _rows[position] = row;
            }
            else
            {
                row = new CallRow(state.CallId, state.Direction, TerminalText.Clean(party), state, state.Timestamp);
                _index.Add(key, _rows.Count);
                _rows.Add(row);
                _live++;
            }

            if (state.IsTerminal)
            {
                _live--;
            }
        }

        Changed?.Invoke(row);
    }

    /// <summary>Counts of terminal calls by outcome.</summary>
    public IReadOnlyList<(string Outcome, int Count)> OutcomeCounts()
    {
        lock (_gate)
        {
            return _rows
                .Where(r => r.State.IsTerminal)
                .GroupBy(r => r.State.Outcome?.ToString() ?? r.State.Change.ToString(), StringComparer.Ordinal)
                .Select(g => (g.Key, g.Count()))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
        }
    }

    private static string KeyOf(CallDirection direction, string callId) => (direction == CallDirection.Incoming ? "in:" : "out:") + callId;
}
