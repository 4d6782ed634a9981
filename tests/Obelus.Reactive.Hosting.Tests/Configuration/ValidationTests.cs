using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Obelus.Reactive.Hosting.Tests.Configuration;

public class ValidationTests
{
    private static async Task<OptionsValidationException> StartFails(Dictionary<string, string?> settings, string name = "")
    {
        await using var host = SimulatedHost.Create(settings, name);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());
        Assert.Equal(0, host.Simulator.SessionCount);
        return error;
    }

    [Fact]
    public async Task A_bad_port_and_a_missing_secret_stop_the_host_at_start_naming_the_keys_to_fix()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["Port"] = "0";
        settings.Remove("Secret");

        var error = await StartFails(settings);

        Assert.Contains("AMI connection 'default': Port must be between 1 and 65535, not 0 (setting Obelus:Ami:Port).", error.Failures);
        Assert.Contains(
            "AMI connection 'default': Secret is missing: give it from a secret store or the environment variable Obelus__Ami__Secret (setting Obelus:Ami:Secret).",
            error.Failures);
        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public async Task A_named_connection_is_named_in_its_messages()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["Host"] = " ";
        settings["Reconnect:Jitter"] = "1.5";

        var error = await StartFails(settings, name: "east");

        Assert.Contains("AMI connection 'east': Host is required: the AMI server's name or address (setting Obelus:Ami:east:Host).", error.Failures);
        Assert.Contains("AMI connection 'east': Reconnect:Jitter must be between 0 and 1, not 1.5 (setting Obelus:Ami:east:Reconnect:Jitter).", error.Failures);
    }

    [Fact]
    public async Task Call_manager_settings_are_checked_too()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["CallManager:TrackingVariable"] = "lower-case";
        settings["ActionTimeout"] = "00:00:00";

        var error = await StartFails(settings);

        Assert.Contains("AMI connection 'default': ActionTimeout must be positive, not 00:00:00 (setting Obelus:Ami:ActionTimeout).", error.Failures);
        Assert.Contains("AMI connection 'default': Tracking variable 'lower-case' must match ^[A-Z][_A-Z0-9]*$. (setting Obelus:Ami:CallManager:TrackingVariable).", error.Failures);
    }

    [Fact]
    public async Task The_secret_never_appears_in_validation_messages_or_logs()
    {
        var settings = SimulatedHost.BaseSettings();
        settings["Secret"] = "hunter2-very-secret";
        settings["Port"] = "70000";
        await using var host = SimulatedHost.Create(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.Host.StartAsync());

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_settings_start_without_complaint_and_the_secret_stays_out_of_the_logs()
    {
        var settings = SimulatedHost.BaseSettings();
        await using var host = SimulatedHost.Create(settings);

        await host.Host.StartAsync().WaitAsync(SimulatedHost.Timeout);

        Assert.Contains("AMI connection 'default' logged in", host.Logs.All, StringComparison.Ordinal);
        Assert.Contains("Secret = ***", host.Logs.All, StringComparison.Ordinal);
        Assert.Contains("AMI action sent", host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret: obelus", host.Logs.All, StringComparison.Ordinal);
    }
}
