namespace Obelus.Reactive.Tests;

/// <summary>The repository the tests were built from: its README, docs and package READMEs.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Obelus.Reactive.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests do not run inside the repository: no Obelus.Reactive.sln above " + AppContext.BaseDirectory);
    });

    /// <summary>The folder holding Obelus.Reactive.sln.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>The text of <paramref name="path"/>, relative to the repository root.</summary>
    public static string Read(string path) => File.ReadAllText(Path.Combine(Root, path));
}
