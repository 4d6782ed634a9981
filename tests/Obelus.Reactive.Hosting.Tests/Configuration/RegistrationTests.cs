using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;
using Obelus.Reactive.Hosting.Configuration;
using Xunit;

namespace Obelus.Reactive.Hosting.Tests.Configuration;

public class RegistrationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

    private static IConfiguration TwoServers() => Configuration(
        ("Obelus:Ami:East:Host", "pbx-east.example"),
        ("Obelus:Ami:East:Username", "east"),
        ("Obelus:Ami:East:Secret", "east-secret"),
        ("Obelus:Ami:West:Host", "pbx-west.example"),
        ("Obelus:Ami:West:Port", "5039"),
        ("Obelus:Ami:West:UseTls", "true"),
        ("Obelus:Ami:West:Username", "west"),
        ("Obelus:Ami:West:Secret", "west-secret"));

    [Fact]
    public async Task Named_connections_live_side_by_side_each_with_its_own_client_and_call_manager()
    {
        var configuration = TwoServers();
        var services = new ServiceCollection().AddLogging();
        services.AddObelusAmi("east", configuration.GetSection("Obelus:Ami:East"));
        services.AddObelusAmi("west", configuration.GetSection("Obelus:Ami:West"));
        await using var provider = services.BuildServiceProvider();

        var east = provider.GetRequiredKeyedService<HostedAmiConnection>("east");
        var west = provider.GetRequiredKeyedService<HostedAmiConnection>("west");

        Assert.Equal("pbx-east.example", east.Client.Options.Host);
        Assert.Equal(("pbx-west.example", 5039), (west.Client.Options.Host, west.Client.Options.Port));
        Assert.True(west.Options.UseTls);
        Assert.Same(east.Client, provider.GetRequiredKeyedService<AmiClient>("east"));
        Assert.Same(west.Calls, provider.GetRequiredKeyedService<CallManager>("west"));
        Assert.Same(east.Connection, provider.GetRequiredKeyedService<IAmiConnection>("east"));
        Assert.NotSame(east.Client, west.Client);
        Assert.Equal(["east", "west"], provider.GetRequiredService<HostedAmiConnections>().Names);
        Assert.Same(west, provider.GetRequiredService<HostedAmiConnections>().Get("west"));
        Assert.Equal(2, provider.GetServices<IHostedService>().Count());
    }

    [Fact]
    public async Task The_default_connection_is_also_registered_without_a_key()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddObelusAmi(Configuration(("Host", "pbx"), ("Username", "u"), ("Secret", "s")));
        await using var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<HostedAmiConnection>();

        Assert.Same(connection.Client, provider.GetRequiredService<AmiClient>());
        Assert.Same(connection.Calls, provider.GetRequiredService<CallManager>());
        Assert.Same(connection.Connection, provider.GetRequiredService<IAmiConnection>());
        Assert.Same(connection, provider.GetRequiredKeyedService<HostedAmiConnection>(Options.DefaultName));
    }

    [Fact]
    public void Registering_one_name_twice_is_refused_with_the_name()
    {
        var services = new ServiceCollection();
        services.AddObelusAmi("east", o => o.Host = "a");

        var error = Assert.Throws<InvalidOperationException>(() => services.AddObelusAmi("east", o => o.Host = "b"));

        Assert.Contains("'east' is already registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_an_unknown_name_lists_the_registered_ones()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddObelusAmi("east", o => o.Host = "a");
        services.AddObelusAmi(o => o.Host = "b");
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<HostedAmiConnections>().Get("north"));

        Assert.Equal("No AMI connection named 'north' is registered (registered: east, default).", error.Message);
    }

    [Fact]
    public async Task Every_setting_binds_from_configuration_including_the_nested_policy_and_call_manager()
    {
        var configuration = Configuration(
            ("Host", "pbx"), ("Port", "6038"), ("Username", "u"), ("Secret", "s"), ("AuthType", "Md5"),
            ("LoginEventMask", "call,system"), ("ActionTimeout", "00:00:05"), ("KeepAliveInterval", "00:00:00"),
            ("KeepAliveTimeout", "00:00:03"), ("EventBufferCapacity", "500"), ("EventOverflow", "DropOldest"),
            ("Reconnect:InitialDelay", "00:00:02"), ("Reconnect:MaxDelay", "00:01:00"), ("Reconnect:Multiplier", "3"),
            ("Reconnect:Jitter", "0.5"), ("Reconnect:MaxAttempts", "7"),
            ("CallManager:TrackingVariable", "X_APP"), ("CallManager:ReconnectGrace", "00:00:45"),
            ("SetupFilters", "true"), ("RequireConnectionAtStartup", "false"), ("DroppedEventsHealthWindow", "00:05:00"),
            ("MeasureIncomingCalls", "true"), ("ConnectTimeout", "00:00:04"), ("DisposeTimeout", "00:00:06"),
            ("MaxEventListItems", "900"), ("MaxWarningsPerMinute", "3"));
        var services = new ServiceCollection().AddLogging();
        services.AddObelusAmi(configuration);
        await using var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<HostedAmiConnection>();
        var client = connection.Client.Options;

        Assert.Equal(("pbx", 6038, "u", AmiAuthType.Md5, "call,system"), (client.Host, client.Port, client.Username, client.AuthType, client.LoginEventMask));
        Assert.Equal((TimeSpan.FromSeconds(5), null, TimeSpan.FromSeconds(3)), (client.ActionTimeout, client.KeepAliveInterval, client.KeepAliveTimeout));
        Assert.Equal((500, AmiEventOverflow.DropOldest), (client.EventBufferCapacity, client.EventOverflow));
        Assert.Equal((TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6)), (client.ConnectTimeout, client.DisposeTimeout));
        Assert.Equal((900, 3), (client.MaxEventListItems, client.MaxWarningsPerMinute));
        Assert.Equal(
            new AmiReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromMinutes(1), Multiplier = 3, Jitter = 0.5, MaxAttempts = 7 },
            client.Reconnect);
        Assert.Equal("X_APP", connection.Calls.TrackingVariable);
        Assert.Equal(TimeSpan.FromSeconds(45), connection.Calls.Options.ReconnectGrace);
        Assert.True(connection.Options.SetupFilters);
        Assert.False(connection.Options.RequireConnectionAtStartup);
        Assert.Equal(TimeSpan.FromMinutes(5), connection.Options.DroppedEventsHealthWindow);
        Assert.True(connection.Options.MeasureIncomingCalls);
    }

    [Fact]
    public async Task Reconnecting_can_be_switched_off()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddObelusAmi(Configuration(("Host", "pbx"), ("Username", "u"), ("Secret", "s"), ("Reconnect:Enabled", "false")));
        await using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetRequiredService<AmiClient>().Options.Reconnect);
    }

    [Fact]
    public async Task Code_can_change_settings_after_configuration()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddObelusAmi(Configuration(("Host", "pbx"), ("Username", "u")))
            .Configure(o => o.Secret = "from-a-vault");
        await using var provider = services.BuildServiceProvider();

        Assert.Equal("from-a-vault", provider.GetRequiredService<AmiClient>().Options.Secret);
    }

    [Fact]
    public void Settings_text_hides_the_secret()
    {
        var options = new AmiConnectionOptions { Host = "pbx", Username = "u", Secret = "hunter2" };

        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("Secret = ***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_can_come_from_the_environment_next_to_a_settings_file()
    {
        // A prefix of its own keeps this test's variable away from everything else in the process.
        var prefix = "OBELUS_TEST_" + Guid.NewGuid().ToString("N")[..8] + "_";
        Environment.SetEnvironmentVariable(prefix + "Obelus__Ami__Secret", "from-the-environment");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection([KeyValuePair.Create("Obelus:Ami:Host", (string?)"pbx"), KeyValuePair.Create("Obelus:Ami:Username", (string?)"u")])
                .AddEnvironmentVariables(prefix)
                .Build();
            var services = new ServiceCollection().AddLogging();
            services.AddObelusAmi(configuration.GetSection("Obelus:Ami"));
            await using var provider = services.BuildServiceProvider();

            Assert.Equal("from-the-environment", provider.GetRequiredService<AmiClient>().Options.Secret);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Obelus__Ami__Secret", null);
        }
    }
}
