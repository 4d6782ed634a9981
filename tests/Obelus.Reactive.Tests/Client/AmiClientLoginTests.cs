using Obelus.Reactive.Client;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

public sealed class AmiClientLoginTests
{
    [Fact]
    public async Task Plain_login_sends_username_secret_and_events_then_reports_connected_with_the_banner()
    {
        await using var harness = new ClientHarness();
        harness.Transport.AutoLogin = false;
        var connecting = harness.Client.ConnectAsync();
        var server = await harness.Transport.NextServerAsync();

        var login = await server.NextActionAsync();
        Assert.Equal("Login", login.Name);
        Assert.Equal("obelus", login["Username"]);
        Assert.Equal(ClientHarness.Secret, login["Secret"]);
        Assert.Equal("on", login["Events"]);
        Assert.Null(login["Key"]);
        await server.RespondAsync(login, "Success", ("Message", "Authentication accepted"));
        await connecting.WaitAsync(FakeAmiServer.Safety);

        var state = await harness.StateAsync(_ => true);
        Assert.Equal(AmiConnectionStatus.Connected, state.Status);
        Assert.Equal("11.0.0", state.Banner!.Version);
        Assert.Equal("Asterisk Call Manager", harness.Client.Banner!.Name);
        server.AutoLogin = true;
    }

    [Fact]
    public async Task Md5_login_answers_the_challenge_with_the_key_of_the_recorded_trace()
    {
        await using var harness = new ClientHarness(o => o with { AuthType = AmiAuthType.Md5, Secret = "obelus" });
        harness.Transport.AutoLogin = false;
        var connecting = harness.Client.ConnectAsync();
        var server = await harness.Transport.NextServerAsync();

        var challenge = await server.NextActionAsync();
        Assert.Equal("Challenge", challenge.Name);
        Assert.Equal("MD5", challenge["AuthType"]);
        await server.RespondAsync(challenge, "Success", ("Challenge", "123401196"));

        var login = await server.NextActionAsync();
        Assert.Equal("Login", login.Name);
        Assert.Equal("MD5", login["AuthType"]);
        Assert.Equal("obelus", login["Username"]);
        Assert.Equal("9b34b067fd90fc0bbcbd5991615ec738", login["Key"]);
        Assert.Null(login["Secret"]);
        await server.RespondAsync(login, "Success", ("Message", "Authentication accepted"));
        await connecting.WaitAsync(FakeAmiServer.Safety);
        Assert.Equal(AmiConnectionStatus.Connected, harness.Client.State.Status);
        server.AutoLogin = true;
    }

    [Fact]
    public async Task Refused_login_throws_an_authentication_exception_naming_the_user_but_not_the_secret()
    {
        var logger = new CapturingLogger();
        await using var harness = new ClientHarness(logger: logger);
        harness.Transport.AutoLogin = false;
        var connecting = harness.Client.ConnectAsync();
        var server = await harness.Transport.NextServerAsync();

        var login = await server.NextActionAsync();
        await server.RespondAsync(login, "Error", ("Message", "Authentication failed"));
        await server.CloseAsync();

        var error = await Assert.ThrowsAsync<AmiAuthenticationException>(() => connecting.WaitAsync(FakeAmiServer.Safety));
        Assert.Contains("obelus", error.Message, StringComparison.Ordinal);
        Assert.Equal("Authentication failed", error.ServerMessage);
        Assert.DoesNotContain(ClientHarness.Secret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ClientHarness.Secret, logger.All, StringComparison.Ordinal);
        Assert.Equal(AmiConnectionStatus.Disconnected, harness.Client.State.Status);
        Assert.IsType<AmiAuthenticationException>(harness.Client.State.Reason);
    }

    [Fact]
    public async Task A_server_that_never_greets_times_out_at_the_action_timeout()
    {
        await using var harness = new ClientHarness(o => o with { ActionTimeout = TimeSpan.FromSeconds(5) });
        harness.Transport.SendBanner = false;
        var connecting = harness.Client.ConnectAsync();
        _ = await harness.Transport.NextServerAsync();

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);

        var error = await Assert.ThrowsAsync<AmiTimeoutException>(() => connecting.WaitAsync(FakeAmiServer.Safety));
        Assert.Contains("banner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_never_reaches_the_log_even_at_debug_level()
    {
        var logger = new CapturingLogger();
        await using (var harness = new ClientHarness(logger: logger))
        {
            var server = await harness.ConnectAsync();
            server.AutoPong = true;
            await harness.Client.SendAsync(new Obelus.Reactive.Protocol.AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety);
        }

        Assert.Contains(logger.Lines, l => l.Contains("Action: Login", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("Secret: ***", StringComparison.Ordinal));
        Assert.DoesNotContain(ClientHarness.Secret, logger.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")]
    [InlineData(null)]
    public async Task A_server_that_does_not_greet_as_ami_fails_the_connect_at_once_as_an_invalid_banner(string? greeting)
    {
        await using var harness = new ClientHarness();
        harness.Transport.SendBanner = false;

        var connecting = harness.Client.ConnectAsync();
        var server = await harness.Transport.NextServerAsync();
        await server.SendRawAsync(greeting ?? new string('G', 10 * 1024 * 1024));

        // No virtual time passes: this is not the banner timeout.
        var error = await Assert.ThrowsAsync<AmiConnectionException>(() => connecting.WaitAsync(FakeAmiServer.Safety));
        Assert.Contains("did not greet as an AMI server", error.Message, StringComparison.Ordinal);
        Assert.Equal(Obelus.Reactive.Protocol.AmiProtocolError.InvalidBanner, Assert.IsType<Obelus.Reactive.Protocol.AmiProtocolException>(error.InnerException).Error);
    }
}
