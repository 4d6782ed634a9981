using Obelus.Reactive.Client;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class AmiClientOptionsTests
{
    [Fact]
    public void Options_text_shows_the_user_but_hides_the_secret()
    {
        var options = new AmiClientOptions { Host = "pbx", Username = "obelus", Secret = "topSecret-99" };

        var text = options.ToString();

        Assert.Contains("obelus", text, StringComparison.Ordinal);
        Assert.Contains("pbx", text, StringComparison.Ordinal);
        Assert.DoesNotContain("topSecret-99", text, StringComparison.Ordinal);
        Assert.Contains("Secret = ***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_grows_by_the_multiplier_and_stops_at_the_cap()
    {
        var policy = new AmiReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(1), Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(5), Jitter = 0 };

        var delays = Enumerable.Range(1, 5).Select(n => policy.GetDelay(n, 0.5).TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 5, 5], delays);
    }

    [Fact]
    public void Jitter_spreads_the_delay_both_ways_but_never_past_the_cap()
    {
        var policy = new AmiReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(11), Jitter = 0.2 };

        Assert.Equal(TimeSpan.FromSeconds(8), policy.GetDelay(1, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.GetDelay(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(11), policy.GetDelay(1, 0.99));
    }

    [Fact]
    public void Out_of_range_limits_are_refused_when_the_client_is_created()
    {
        var options = new AmiClientOptions { Host = "pbx", Username = "obelus", Secret = "x", EventBufferCapacity = 0 };

        Assert.Throws<ArgumentOutOfRangeException>(() => new AmiClient(options));
    }

    public static TheoryData<string, AmiReconnectPolicy> BadPolicies => new()
    {
        { "InitialDelay", new AmiReconnectPolicy { InitialDelay = TimeSpan.Zero } },
        { "InitialDelay", new AmiReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(1) } },
        { "InitialDelay", new AmiReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(-1) } },
        { "MaxDelay", new AmiReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(5) } },
        { "Multiplier", new AmiReconnectPolicy { Multiplier = 0.5 } },
        { "Multiplier", new AmiReconnectPolicy { Multiplier = double.NaN } },
        { "Multiplier", new AmiReconnectPolicy { Multiplier = double.PositiveInfinity } },
        { "Jitter", new AmiReconnectPolicy { Jitter = -0.1 } },
        { "Jitter", new AmiReconnectPolicy { Jitter = 1.5 } },
        { "Jitter", new AmiReconnectPolicy { Jitter = double.NaN } },
        { "MaxAttempts", new AmiReconnectPolicy { MaxAttempts = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void Out_of_range_reconnect_policy_values_are_refused_when_the_client_is_created_naming_the_value(string name, AmiReconnectPolicy policy)
    {
        var options = new AmiClientOptions { Host = "pbx", Username = "obelus", Secret = "x", Reconnect = policy };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AmiClient(options));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_stable_time_or_connect_timeout_is_refused()
    {
        var options = new AmiClientOptions { Host = "pbx", Username = "obelus", Secret = "x" };

        Assert.Throws<ArgumentOutOfRangeException>(() => new AmiClient(options with { Reconnect = new AmiReconnectPolicy { StableAfter = TimeSpan.FromSeconds(-1) } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AmiClient(options with { ConnectTimeout = TimeSpan.Zero }));
    }
}
