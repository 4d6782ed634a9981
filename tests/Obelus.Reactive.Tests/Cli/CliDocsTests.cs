using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using Obelus.Reactive.Cli;
using Obelus.Reactive.Cli.Commands;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>docs/cli.md and the package READMEs against the code: the exit codes and options they list are the real ones.</summary>
public partial class CliDocsTests
{
    [Fact]
    public void Exit_code_table_of_the_cli_docs_lists_exactly_the_exit_codes()
    {
        var table = ExitCodeRow().Matches(RepositoryFiles.Read("docs/cli.md")).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(AllExitCodes().Order(), table.Order());
    }

    [Fact]
    public void Cli_package_readme_and_originate_help_name_every_exit_code()
    {
        var readme = RepositoryFiles.Read("src/Obelus.Reactive.Cli/README.md");
        var originate = Program.BuildRoot(new CliConsole().Console, TextWriter.Null).Subcommands.Single(c => c.Name == "originate").Description!;

        foreach (var code in AllExitCodes())
        {
            Assert.Matches($@"\b{code} [a-z]", readme);
            if (code is not ExitCodes.Failed and not ExitCodes.Usage)
            {
                Assert.Matches($@"\b{code} [a-zC]", originate);
            }
        }
    }

    [Fact]
    public void Cli_docs_mention_every_option_of_every_command()
    {
        var docs = RepositoryFiles.Read("docs/cli.md");
        var root = Program.BuildRoot(new CliConsole().Console, TextWriter.Null);

        var missing = root.Subcommands.SelectMany(c => c.Options).Concat(root.Options)
            .Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name is not "--help" and not "--version")
            .Select(o => o.Name)
            .Distinct(StringComparer.Ordinal)
            .Where(name => !Regex.IsMatch(docs, $"`{Regex.Escape(name)}[` ]"))
            .ToList();

        Assert.True(missing.Count == 0, "Not in docs/cli.md: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("src/Obelus.Reactive/README.md", "dotnet add package Obelus.Reactive")]
    [InlineData("src/Obelus.Reactive.Testing/README.md", "dotnet add package Obelus.Reactive.Testing")]
    [InlineData("src/Obelus.Reactive.Cli/README.md", "dotnet tool install --global Obelus.Reactive.Cli")]
    public void Every_package_readme_says_how_to_install_it(string readme, string command)
    {
        Assert.Contains(command, RepositoryFiles.Read(readme), StringComparison.Ordinal);
    }

    private static IEnumerable<int> AllExitCodes() =>
        typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!);

    [GeneratedRegex(@"^\| *(\d+) \|", RegexOptions.Multiline)]
    private static partial Regex ExitCodeRow();
}
