using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Obelus.Reactive.Tests.Docs;

/// <summary>The figures and test names docs/reliability.md gives are those of this test suite.</summary>
public sealed partial class DocFigureTests
{
    [Fact]
    public void The_test_count_the_doc_states_is_the_number_that_run()
    {
        var text = RepositoryFiles.Read("docs/reliability.md");
        var stated = int.Parse(StatedCount().Match(text).Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(CountCases("Obelus.Reactive.Tests.Reliability"), stated);
    }

    [Fact]
    public void Every_test_the_doc_names_exists()
    {
        var methods = typeof(DocFigureTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);

        // Names in backticks that look like test names (words joined by underscores); a trailing
        // "…" marks a name cut short in a table cell.
        var named = TestName().Matches(RepositoryFiles.Read("docs/reliability.md")).Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.True(
            name.EndsWith('…') ? methods.Any(m => m.StartsWith(name.TrimEnd('…'), StringComparison.Ordinal)) : methods.Contains(name),
            $"docs/reliability.md names '{name}', which is no test"));
    }

    /// <summary>Test cases xunit runs for the types of <paramref name="ns"/>: one per fact, one per theory data row.</summary>
    private static int CountCases(string ns)
    {
        var count = 0;
        foreach (var type in typeof(DocFigureTests).Assembly.GetTypes().Where(t => t.Namespace == ns && !t.IsAbstract))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<TheoryAttribute>() is not null)
                {
                    count += method.GetCustomAttributes<InlineDataAttribute>().Count();
                    foreach (var member in method.GetCustomAttributes<MemberDataAttribute>())
                    {
                        var source = type.GetMember(member.MemberName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Single();
                        var value = source switch
                        {
                            PropertyInfo p => p.GetValue(null),
                            MethodInfo m => m.Invoke(null, member.Parameters),
                            FieldInfo f => f.GetValue(null),
                            _ => null,
                        };
                        count += ((System.Collections.IEnumerable)value!).Cast<object>().Count();
                    }
                }
                else if (method.GetCustomAttribute<FactAttribute>() is not null)
                {
                    count++;
                }
            }
        }

        return count;
    }

    [GeneratedRegex(@"\((?<count>\d+) tests, ")]
    private static partial Regex StatedCount();

    [GeneratedRegex(@"`(?:[A-Za-z]+Tests\.)?(?<name>[A-Z][a-z0-9]*(?:_[A-Za-z0-9]+){3,}…?)`")]
    private static partial Regex TestName();
}
