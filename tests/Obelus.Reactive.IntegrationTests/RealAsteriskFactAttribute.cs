using Xunit;

namespace Obelus.Reactive.IntegrationTests;

/// <summary>A fact that runs only against a configured real Asterisk and is skipped, with the reason, otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealAsteriskFactAttribute : FactAttribute
{
    /// <summary>Skips when no server is configured.</summary>
    public RealAsteriskFactAttribute()
    {
        Skip = RealAsterisk.SkipReason(needsLimitedUser: false, needsRestart: false);
    }

    /// <summary>The test logs in as the read=call, write=originate user as well.</summary>
    public bool NeedsLimitedUser
    {
        get => false;
        init => Skip ??= value ? RealAsterisk.SkipReason(needsLimitedUser: true, needsRestart: false) : null;
    }

    /// <summary>The test restarts the server (only an instance started by tests/asterisk/asterisk.sh).</summary>
    public bool NeedsRestart
    {
        get => false;
        init => Skip ??= value ? RealAsterisk.SkipReason(needsLimitedUser: false, needsRestart: true) : null;
    }
}
