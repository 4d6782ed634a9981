using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>A theory that runs only against a configured real Asterisk and is skipped, with the reason, otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealAsteriskTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets the skip reason when no server is configured.</summary>
    public RealAsteriskTheoryAttribute()
    {
        Skip = RealAsterisk.SkipReason(needsLimitedUser: false, needsRestart: false);
    }
}
