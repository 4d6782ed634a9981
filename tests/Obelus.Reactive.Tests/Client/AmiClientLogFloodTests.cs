using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Xunit;

namespace Obelus.Reactive.Tests.Client;

/// <summary>What a server sends cannot flood the log, nor put raw control characters or huge values in it.</summary>
public sealed class AmiClientLogFloodTests
{
    private const int Flood = 10_000;

    [Fact]
    public async Task Ten_thousand_garbage_messages_log_a_few_warnings_while_protocol_errors_reports_them_all()
    {
        var logger = new CapturingLogger();
        await using var harness = new ClientHarness(logger: logger);
        var server = await harness.ConnectAsync();
        var reported = harness.Client.ProtocolErrors.Take(Flood).Count().ToTask();

        await server.SendRawAsync(Repeat("Bogus line\r\n\r\n", Flood));

        Assert.Equal(Flood, await reported.WaitAsync(FakeAmiServer.Safety));
        var warnings = logger.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)).ToList();
        Assert.Equal(11, warnings.Count); // 10 errors, then one line saying the rest are counted
        Assert.Contains("within a minute", warnings[^1], StringComparison.Ordinal);

        // A minute later the next one is logged again, with the count of those held back.
        harness.Scheduler.AdvanceBy(TimeSpan.FromMinutes(1).Ticks);
        var next = harness.Client.ProtocolErrors.FirstAsync().ToTask();
        await server.SendRawAsync("Bogus line\r\n\r\n");
        await next.WaitAsync(FakeAmiServer.Safety);
        Assert.Contains(logger.Lines, l => l.Contains($"{Flood - 10} more not logged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ten_thousand_answers_nobody_asked_for_log_a_few_warnings()
    {
        var logger = new CapturingLogger();
        await using var harness = new ClientHarness(logger: logger);
        var server = await harness.ConnectAsync();

        await server.SendRawAsync(Repeat("Response: Success\r\nActionID: stray\r\n\r\n", Flood));
        server.AutoPong = true;
        await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety); // read after all of them

        Assert.Equal(11, logger.Lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Control_characters_and_huge_values_from_the_server_are_escaped_and_cut_in_log_lines()
    {
        var logger = new CapturingLogger();
        await using var harness = new ClientHarness(logger: logger);
        var server = await harness.ConnectAsync();
        var huge = new string('A', 60_000);

        await server.SendRawAsync($"Response: Success\r\nActionID: \u001b[2J\u001b[31mforged\rWarning: fake line\r\n\r\n");
        await server.SendRawAsync($"Response: Success\r\nActionID: {huge}\r\n\r\n");
        await server.SendRawAsync("Bogus \u001b]0;title\u0007 line\r\n\r\n");
        var error = harness.Client.ProtocolErrors.FirstAsync().ToTask();
        await server.SendRawAsync("Bogus \u001b]0;title\u0007 line\r\n\r\n");
        await error.WaitAsync(FakeAmiServer.Safety);
        server.AutoPong = true;
        await harness.Client.SendAsync(new AmiAction("Ping")).WaitAsync(FakeAmiServer.Safety);

        var warnings = logger.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count >= 3, string.Join("\n", warnings));
        Assert.All(warnings, w => Assert.DoesNotContain(w.Split(Environment.NewLine)[0], c => c is '\u001b' or '\r' or '\u0007'));
        Assert.Contains(warnings, w => w.Contains("\\x1B[31mforged\\x0DWarning", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("(60000 characters in all)", StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.True(w.Length < 5_000, $"a log line of {w.Length.ToString(CultureInfo.InvariantCulture)} characters"));
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
