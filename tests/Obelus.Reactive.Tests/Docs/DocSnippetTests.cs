using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Obelus.Reactive.Tests.Docs;

/// <summary>
/// Every C# block of README.md and docs/*.md compiles as written against this version's
/// packages, given only the variables its text uses without declaring (a client, a manager, a
/// request...). Those that run are run by the tests named in the docs.
/// </summary>
public sealed partial class DocSnippetTests
{
    /// <summary>What a snippet may use without declaring it, as method parameters.</summary>
    private static readonly (string Name, string Declaration)[] Ambient =
    [
        ("client", "Obelus.Reactive.Client.AmiClient client"),
        ("manager", "Obelus.Reactive.Calls.CallManager manager"),
        ("request", "Obelus.Reactive.Calls.OriginateRequest request"),
        ("requests", "IObservable<Obelus.Reactive.Calls.OriginateRequest> requests"),
        ("scheduler", "Microsoft.Reactive.Testing.TestScheduler scheduler"),
        ("builder", "Microsoft.Extensions.Hosting.HostApplicationBuilder builder"),
        ("args", "string[] args"),
        ("ct", "CancellationToken ct"),
        ("log", "Log log"),
        ("ui", "Ui ui"),
        ("order", "object order"),
        ("logger", "Microsoft.Extensions.Logging.ILogger logger"),
        ("options", "Obelus.Reactive.Testing.AmiSimulatorOptions options"),
        ("simulator", "Obelus.Reactive.Testing.AmiSimulator simulator"),
        ("ami", "Obelus.Reactive.Hosting.HostedAmiConnection ami"),
    ];

    /// <summary>Blocks that need packages this project does not reference, each with why.</summary>
    private static readonly Dictionary<string, string> NotCompiled = new(StringComparer.Ordinal)
    {
        ["docs/hosting.md#2"] = "OpenTelemetry wiring: needs the OpenTelemetry.Extensions.Hosting package, which the library does not depend on",
    };

    private const string Prelude = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO.Pipelines;
        global using System.Linq;
        global using System.Net;
        global using System.Reactive.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Reactive.Testing;
        global using Obelus.Reactive.Calls;
        global using Obelus.Reactive.Client;
        global using Obelus.Reactive.Hosting;
        global using Obelus.Reactive.Protocol;
        global using Obelus.Reactive.Testing;
        global using Xunit;

        public sealed class Log { public void Info(object value) { } }
        public sealed class Ui { public void Show(CallState state) { } }
        public sealed class MyCallWorker : BackgroundService { protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask; }
        """;

    public static TheoryData<string> Snippets()
    {
        var data = new TheoryData<string>();
        foreach (var (file, index, _) in AllSnippets())
        {
            data.Add($"{file}#{index}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_compiles_as_written(string id)
    {
        var code = AllSnippets().Single(s => $"{s.File}#{s.Index}" == id).Code;
        if (NotCompiled.TryGetValue(id, out var reason))
        {
            Assert.False(string.IsNullOrWhiteSpace(reason));
            return;
        }

        var errors = Compile(code);

        Assert.True(errors.Count == 0, $"{id} does not compile:\n{string.Join("\n", errors)}\n--- code ---\n{code}");
    }

    [Fact]
    public void A_block_that_does_not_compile_is_reported_with_the_compiler_error()
    {
        var errors = Compile("CallState end = await manager.Originate(request).LastAsync();\nConsole.WriteLine(end.NoSuchProperty);\nusing var x = new AmiClient(\"not options\");");

        Assert.Contains(errors, e => e.Contains("CS1061", StringComparison.Ordinal) && e.Contains("NoSuchProperty", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("CS1503", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_block_left_out_still_exists()
    {
        var ids = AllSnippets().Select(s => $"{s.File}#{s.Index}").ToHashSet();

        Assert.All(NotCompiled.Keys, id => Assert.Contains(id, ids));
    }

    private static List<string> Compile(string snippet)
    {
        // using directives at the top of a block belong at the top of the file.
        var lines = snippet.Split('\n');
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';') && !l.Contains('=')).ToArray();
        var body = string.Join('\n', lines.Skip(usings.Length));
        var declared = Declared().Matches(body).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var parameters = Ambient
            .Where(a => !declared.Contains(a.Name) && Regex.IsMatch(body, $@"(?<![\w.""]){a.Name}\b"))
            .Select(a => a.Declaration);
        var source = string.Join('\n', usings) + "\npublic static class Snippet\n{\n    public static async Task RunAsync(" + string.Join(", ", parameters) + ")\n    {\n" + body + "\n    }\n}\n";
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(Prelude), CSharpSyntaxTree.ParseText(source)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
    }

    private static readonly Lazy<List<MetadataReference>> References = new(() =>
    {
        // The framework's reference assemblies, then every library next to the tests (the
        // packages under test and their dependencies), minus what the framework already has.
        var references = new List<MetadataReference>(Basic.Reference.Assemblies.Net100.References.All);
        var framework = Basic.Reference.Assemblies.Net100.References.All
            .Select(r => Path.GetFileNameWithoutExtension(r.FilePath ?? r.Display ?? string.Empty))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (framework.Contains(name) || name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || name.StartsWith("testhost", StringComparison.Ordinal))
            {
                continue;
            }

            references.Add(MetadataReference.CreateFromFile(path));
        }

        return references;
    });

    private static IEnumerable<(string File, int Index, string Code)> AllSnippets()
    {
        var root = RepositoryFiles.Root;
        var files = new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var index = 0;
            foreach (Match block in CSharpBlock().Matches(RepositoryFiles.Read(file).ReplaceLineEndings("\n")))
            {
                yield return (file, ++index, block.Groups["code"].Value);
            }
        }
    }

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"\b(?:var|[A-Z]\w*(?:<[^>]*>)?\??)\s+(?<name>[a-z]\w*)\s*=(?!=)")]
    private static partial Regex Declared();
}
