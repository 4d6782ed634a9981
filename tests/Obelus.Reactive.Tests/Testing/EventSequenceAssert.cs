using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>Compares a simulated event sequence with a captured one: names, header names, key values, id structure.</summary>
internal static class EventSequenceAssert
{
    /// <summary>Headers whose values must match the capture exactly.</summary>
    private static readonly HashSet<string> KeyHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Privilege", "ChannelState", "ChannelStateDesc", "Cause", "Cause-txt", "DialStatus", "Reason", "Response",
        "Application", "AppData", "Extension", "Variable", "Value", "Context", "Exten", "Priority",
        "CallerIDNum", "CallerIDName", "ConnectedLineNum", "ConnectedLineName", "Device", "State", "DialString",
        "DestChannelState", "DestCallerIDNum", "DestContext", "DestExten", "DestPriority",
        "LocalOneChannelState", "LocalTwoChannelState", "LocalOptimization",
    };

    public static void SameShape(IReadOnlyList<AmiEvent> expected, IReadOnlyList<AmiEvent> actual)
    {
        Assert.Equal(expected.Select(e => e.Name).ToList(), actual.Select(e => e.Name).ToList());
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var reverse = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = actual[i];
            var where = $"event #{i} {want.Name}";
            Assert.True(
                want.Select(h => h.Name).SequenceEqual(got.Select(h => h.Name)),
                $"{where}: header names differ.\nexpected: {string.Join(",", want.Select(h => h.Name))}\nactual:   {string.Join(",", got.Select(h => h.Name))}");
            for (var h = 0; h < want.Count; h++)
            {
                var name = want[h].Name;
                if (KeyHeaders.Contains(name))
                {
                    Assert.True(want[h].Value == got[h].Value, $"{where}: {name} expected '{want[h].Value}' but was '{got[h].Value}'");
                }
                else if (IsIdentity(name) && want[h].Value != "<unknown>")
                {
                    Correspond(ids, want[h].Value, got[h].Value, where + " " + name);
                    Correspond(reverse, got[h].Value, want[h].Value, where + " " + name + " (reverse)");
                }
            }
        }
    }

    private static bool IsIdentity(string name) =>
        name.EndsWith("Uniqueid", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Linkedid", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Channel", StringComparison.OrdinalIgnoreCase);

    private static void Correspond(Dictionary<string, string> map, string from, string to, string where)
    {
        if (map.TryGetValue(from, out var known))
        {
            Assert.True(known == to, $"{where}: '{from}' was '{known}' before, now '{to}'");
        }
        else
        {
            map[from] = to;
        }
    }
}
