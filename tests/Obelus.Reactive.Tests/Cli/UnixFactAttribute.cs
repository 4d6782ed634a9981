using Xunit;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>A fact that needs POSIX signals (sent with <c>kill</c>); skipped on Windows, which has none.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "POSIX signals only.";
        }
    }
}
