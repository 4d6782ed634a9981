using Xunit;
namespace Obelus.Reactive.Tests.Protocol;

/// <summary>The real Asterisk captures copied next to the test assembly.</summary>
internal static class TraceFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Traces");

    /// <summary>Names (without <c>.in.ami</c>) of every capture of bytes received from Asterisk.</summary>
    public static IEnumerable<string> ReceivedNames() =>
        System.IO.Directory.GetFiles(Directory, "*.in.ami")
            .Select(path => Path.GetFileName(path)[..^".in.ami".Length])
            .Order(StringComparer.Ordinal);

    public static byte[] Received(string name) => File.ReadAllBytes(Path.Combine(Directory, name + ".in.ami"));

    public static TheoryData<string> ReceivedTheoryData()
    {
        var data = new TheoryData<string>();
        foreach (var name in ReceivedNames())
        {
            data.Add(name);
        }

        return data;
    }
}
