using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>A fact that runs only against a configured real Asterisk and is skipped, with the reason, otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealAsteriskFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when no server is configured.</summary>
    public RealAsteriskFactAttribute()
    {
        if (!RealAsterisk.IsConfigured)
        {
            Skip = RealAsterisk.NotConfigured;
        }
    }
}
