using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Reactive.Testing;
using Obelus.Reactive.Protocol;
using Obelus.Reactive.Testing;
using Xunit;

namespace Obelus.Reactive.Tests.Testing;

/// <summary>Loopback TCP serving and the fault switches used by reliability tests.</summary>
public sealed class SimulatorTransportAndFaultTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_client_over_loopback_tcp_logs_in_and_pings()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        var endpoint = await simulator.StartTcpAsync(0).WaitAsync(SafetyTimeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint).WaitAsync(SafetyTimeout);
        var stream = tcp.GetStream();
        await using var client = new RawAmiClient(new TestPipe(PipeReader.Create(stream), PipeWriter.Create(stream)));

        await client.LoginAsync();
        await client.SendAsync(new AmiAction("Ping") { ActionId = "p" });
        var pong = await client.ReadAsync();
        await client.SendAsync(new AmiAction("Logoff") { ActionId = "bye" });
        var end = await client.ReadToEndAsync();

        Assert.Equal("Pong", pong!["Ping"]);
        Assert.Equal("Goodbye", ((AmiResponse)Assert.Single(end)).Status);
        Assert.Equal(0, simulator.SessionCount);
    }

    [Fact]
    public async Task Stop_answering_keeps_the_connection_open_but_silent()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();

        simulator.Faults.StopAnswering = true;
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, new AmiAction("Ping") { ActionId = "lost" });
        simulator.EmitEventBurst(5);
        simulator.Faults.StopAnswering = false;
        await client.SendAsync(new AmiAction("Ping") { ActionId = "heard" });

        var next = await client.ReadAsync();
        Assert.Equal("heard", next!.ActionId);
        Assert.Equal(1, simulator.SessionCount);
    }

    [Fact]
    public async Task Duplicate_responses_answer_an_action_twice()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();

        simulator.Faults.DuplicateResponses = true;
        await client.SendAsync(new AmiAction("Ping") { ActionId = "twice" });
        var first = await client.ReadAsync();
        var second = await client.ReadAsync();

        Assert.Equal(first!.ToString(), second!.ToString());
        Assert.Equal("twice", second.ActionId);
    }

    [Fact]
    public async Task Unknown_action_id_responses_come_before_the_real_one()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();

        simulator.Faults.ResponsesWithUnknownActionId = true;
        await client.SendAsync(new AmiAction("Ping") { ActionId = "real" });
        var stray = await client.ReadAsync();
        var real = await client.ReadAsync();

        Assert.StartsWith("stray-", stray!.ActionId, StringComparison.Ordinal);
        Assert.Equal("real", real!.ActionId);
    }

    [Fact]
    public async Task Close_mid_message_cuts_an_event_in_half_and_ends_the_connection()
    {
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();

        simulator.CloseConnectionsMidMessage();
        var rest = await client.ReadToEndAsync();

        Assert.Empty(rest);
        Assert.NotNull(client.Truncation);
        Assert.Equal(AmiProtocolError.TruncatedMessage, client.Truncation.Error);
    }

    [Fact]
    public async Task Hangup_action_ends_a_live_call_with_the_given_cause()
    {
        var capture = Capture.Load("status_resync_b");
        var scheduler = new TestScheduler();
        await using var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = scheduler });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, Capture.Load("status_resync_a").Action(1));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        var created = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("Newexten") && e["AppData"] == "30" && e["Channel"]!.EndsWith(";2", StringComparison.Ordinal));
        var first = created.OfType<AmiEvent>().First(e => e.Is("Newchannel"))["Channel"]!;

        await client.SendAsync(new AmiAction("Hangup") { ActionId = "status_resync_b-5" }.Add("Channel", first).Add("Cause", "16"));
        var ended = await client.ReadUntilAsync(m => m is AmiEvent e && e.Is("DeviceStateChange"));
        ended.Add((await client.ReadAsync())!);

        var expected = capture.Received.SkipWhile(m => m.ActionId != "status_resync_b-5").TakeWhile(m => !(m is AmiResponse r && r.Status == "Goodbye")).ToList();
        Assert.Equal(expected.Select(RawAmiClient.Describe), ended.Select(RawAmiClient.Describe));
        Assert.Equal("Channel Hungup", ((AmiResponse)ended[0]).Message);
        EventSequenceAssert.SameShape(expected.Skip(1).Cast<AmiEvent>().ToList(), ended.Skip(1).Cast<AmiEvent>().ToList());
        Assert.Equal(0, simulator.ChannelCount);
    }

    [Fact]
    public async Task Disposing_while_a_synchronous_originate_waits_closes_the_session()
    {
        var simulator = new AmiSimulator(new AmiSimulatorOptions { Scheduler = new TestScheduler() });
        await using var client = new RawAmiClient(simulator.CreateConnection());
        await client.LoginAsync();
        await SimulatorCallFlowTests.SendAndWaitHandledAsync(simulator, client, SimulatorCallFlowTests.Originate("Local/100@default", "100", async: false));

        await simulator.DisposeAsync().AsTask().WaitAsync(SafetyTimeout);

        Assert.Empty(await client.ReadToEndAsync());
        Assert.Equal(0, simulator.SessionCount);
    }

    [Theory]
    [InlineData("11.0.0\r\nEvent: Fake", "obelus")]
    [InlineData("11.0.0", "")]
    public void Options_that_would_break_the_wire_are_refused(string banner, string secret)
    {
        var options = new AmiSimulatorOptions { BannerVersion = banner, Secret = secret };

        Assert.Throws<ArgumentException>(() => new AmiSimulator(options));
    }

    [Fact]
    public void Generated_events_are_realistic_call_events_of_about_450_bytes_with_fresh_ids()
    {
        var events = AmiEventGenerator.Create(1000, seed: 3);
        var bytes = AmiEventGenerator.CreateBytes(1000, seed: 3);

        Assert.Equal(1000, events.Select(e => e["Uniqueid"]).Distinct().Count());
        Assert.All(events, e => Assert.True(e.Contains("Linkedid") && e.Contains("Channel") && e.Contains("Privilege")));
        Assert.InRange(bytes.Length / 1000, 420, 480);
        Assert.Equal(bytes, AmiEventGenerator.CreateBytes(1000, seed: 3));
    }

    private sealed class TestPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
