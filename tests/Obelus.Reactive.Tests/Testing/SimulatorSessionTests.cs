using System.Security.Cryptography;
using System.Text;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>Login, keep-alive and session actions answer as a real Asterisk 22 does.</summary>
public sealed class SimulatorSessionTests
{
    [Fact]
    public async Task Greeting_is_the_banner_line_then_login_gives_fully_booted_and_successful_auth()
    {
        var capture = Capture.Load("banner");
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        var pipe = simulator.CreateConnection();
        var first = await pipe.Input.ReadAtLeastAsync(30).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("Asterisk Call Manager/11.0.0\r\n", Encoding.ASCII.GetString(first.Buffer.FirstSpan));
        pipe.Input.AdvanceTo(first.Buffer.Start);
        await using var client = new RawAmiClient(pipe);

        Assert.Equal(capture.Banner, await client.ReadBannerAsync());
        await client.SendAsync(capture.Action(0));
        await client.SendAsync(capture.Action(1));
        var messages = await client.ReadToEndAsync();

        Assert.Equal(capture.Received.Select(RawAmiClient.Describe), messages.Select(RawAmiClient.Describe));
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(capture.Received[i].Select(h => h.Name), messages[i].Select(h => h.Name));
        }

        Assert.Equal("Authentication accepted", ((AmiResponse)messages[0]).Message);
        Assert.Equal("Thanks for all the fish.", ((AmiResponse)messages[^1]).Message);
    }

    [Fact]
    public async Task Md5_challenge_login_is_accepted_with_the_right_key()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.ReadBannerAsync();
        await client.SendAsync(new AmiAction("Challenge") { ActionId = "c" }.Add("AuthType", "MD5"));
        var challenge = (AmiResponse)(await client.ReadAsync())!;
        Assert.Null(challenge.Message);
#pragma warning disable CA5351 // The AMI challenge login is defined with MD5.
        var key = Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(challenge["Challenge"] + "obelus")));
#pragma warning restore CA5351

        await client.SendAsync(new AmiAction("Login") { ActionId = "l" }.Add("AuthType", "MD5").Add("Username", "obelus").Add("Key", key));
        var messages = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("SuccessfulAuth"));

        Assert.Equal("Authentication accepted", ((AmiResponse)messages[0]).Message);
        Assert.Equal("0", messages[^1]["UsingPassword"]);
    }

    [Theory]
    [InlineData("wrong-secret", false)]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    public async Task A_bad_secret_or_key_is_refused_after_a_second_and_the_connection_closed(string secret, bool md5)
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.ReadBannerAsync();
        var login = new AmiAction("Login") { ActionId = "login_failure-1" }.Add("Username", "obelus");
        if (md5)
        {
            await client.SendAsync(new AmiAction("Challenge") { ActionId = "c" }.Add("AuthType", "MD5"));
            await client.ReadAsync();
            login.Add("AuthType", "MD5").Add("Key", secret);
        }
        else
        {
            login.Add("Secret", secret);
        }

        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, login);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(999).Ticks);
        Assert.Equal(1, simulator.SessionCount);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1).Ticks);
        var messages = await client.ReadToEndAsync();

        var expected = Capture.Load("login_failure").Received;
        Assert.Equal(expected.Select(m => m.ToString()), messages.Select(m => m.ToString()));
    }

    [Fact]
    public async Task Actions_before_login_are_refused()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.ReadBannerAsync();
        await client.SendAsync("Ping");

        var response = (AmiResponse)(await client.ReadAsync())!;
        Assert.Equal(("Error", "Permission denied"), (response.Status, response.Message));
    }

    [Fact]
    public async Task Ping_answers_pong_with_a_timestamp_with_or_without_action_id()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await client.SendAsync(new AmiAction("Ping") { ActionId = "p1" });
        await client.SendAsync(new AmiAction("Ping"));

        var withId = await client.ReadAsync();
        var withoutId = await client.ReadAsync();
        Assert.NotNull(withId);
        Assert.NotNull(withoutId);
        Assert.Equal(["Response", "ActionID", "Ping", "Timestamp"], withId.Select(h => h.Name));
        Assert.Equal(["Response", "Ping", "Timestamp"], withoutId.Select(h => h.Name));
        Assert.Equal("Pong", withId["Ping"]);
        Assert.Matches(@"^\d{10}\.\d{6}$", withId["Timestamp"]);
    }

    [Fact]
    public async Task Unknown_action_is_an_error_with_the_asterisk_message_and_a_request_bad_format_event()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await client.SendAsync(new AmiAction("UnknownActionXyz") { ActionId = "list_actions-19" });

        var messages = await client.ReadUntilAsync(m => m is AmiEvent);
        var recorded = Capture.Load("list_actions").Received;
        var response = recorded.Single(m => m.ActionId == "list_actions-19");
        Assert.Equal(response.ToString(), messages[0].ToString());
        var badFormat = recorded.OfType<AmiEvent>().Single(e => e.Is("RequestBadFormat"));
        Assert.Equal(badFormat.Select(h => h.Name), messages[1].Select(h => h.Name));
        Assert.Equal("Action: UnknownActionXyz", messages[1]["RequestType"]);
    }

    [Fact]
    public async Task Events_off_stops_events_and_events_on_restores_them()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await client.SendAsync(new AmiAction("Events") { ActionId = "e1" }.Add("EventMask", "off"));
        Assert.Equal("Off", (await client.ReadAsync())!["Events"]);
        simulator.EmitEventBurst(3);
        await client.SendAsync(new AmiAction("Events") { ActionId = "e2" }.Add("EventMask", "on"));
        Assert.Equal("On", (await client.ReadAsync())!["Events"]);
        simulator.EmitEventBurst(2);
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });

        var messages = await client.ReadToEndAsync();
        Assert.Equal(2, messages.OfType<AmiEvent>().Count());
    }

    [Fact]
    public async Task Getvar_and_setvar_work_on_channels_and_globals()
    {
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, SimulatorCallFlowTests.Originate("Local/1000@default", "1000"));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        var created = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("OriginateResponse"));
        var channel = created.OfType<AmiEvent>().First(e => e.Is("Newchannel"))["Channel"]!;

        await client.SendAsync(new AmiAction("Getvar") { ActionId = "g1" }.Add("Channel", channel).Add("Variable", "X_TRACK"));
        var value = (await client.ReadUntilResponseAsync("g1"))[^1];
        Assert.Equal(("X_TRACK", "x1"), (value["Variable"], value["Value"]));

        await client.SendAsync(new AmiAction("Setvar") { ActionId = "s1" }.Add("Channel", channel).Add("Variable", "OBELUS_FOO").Add("Value", "bar baz"));
        var set = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("VarSet"));
        Assert.Equal("Variable Set", ((AmiResponse)set.Single(m => m.ActionId == "s1")).Message);
        Assert.Equal("bar baz", set[^1]["Value"]);

        await client.SendAsync(new AmiAction("Getvar") { ActionId = "g2" }.Add("Channel", "Local/nonexistent-0000;1").Add("Variable", "X_TRACK"));
        Assert.Equal("No such channel", ((AmiResponse)(await client.ReadUntilResponseAsync("g2"))[^1]).Message);

        await client.SendAsync(new AmiAction("Getvar") { ActionId = "g3" }.Add("Variable", "EPOCH"));
        Assert.Matches(@"^\d{10}$", (await client.ReadUntilResponseAsync("g3"))[^1]["Value"]);
    }

    [Fact]
    public async Task Logoff_says_goodbye_and_closes_the_connection()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });

        var messages = await client.ReadToEndAsync();
        Assert.Equal("Response: Goodbye\r\nActionID: bye\r\nMessage: Thanks for all the fish.\r\n", Assert.Single(messages).ToString());
        Assert.Null(client.Truncation);
    }

    [Fact]
    public void Options_never_show_the_secret()
    {
        var options = new AmiSimulatorOptions { Username = "u", Secret = "top-secret" };

        Assert.DoesNotContain("top-secret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("u", options.ToString(), StringComparison.Ordinal);
    }
}
