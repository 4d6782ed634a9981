using System.Text.Json;
using Obelus.Reactive.Cli.Commands;
using Xunit;

namespace Obelus.Reactive.Tests.Cli;

public class ReplayCommandTests
{
    private static readonly string[] RequiredFields =
        ["call", "direction", "change", "state", "stateDesc", "dialStatus", "cause", "causeText", "reason", "uniqueIds", "actionId"];

    public static TheoryData<string> Captures => new(
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Traces"), "*.in.ami")
            .Select(path => Path.GetFileName(path)[..^".in.ami".Length])
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_capture_replays_to_json_lines_with_every_field_and_one_terminal_line_per_call(string capture)
    {
        var (exit, lines) = Replay(capture);

        Assert.Equal(0, exit);
        var byCall = lines.GroupBy(l => l.GetProperty("call").GetString()).ToList();
        foreach (var line in lines)
        {
            Assert.All(RequiredFields, field => Assert.True(line.TryGetProperty(field, out _), $"{capture}: missing '{field}' in {line}"));
        }

        foreach (var call in byCall)
        {
            var terminal = call.Where(IsTerminal).ToList();
            Assert.Single(terminal);
            Assert.True(IsTerminal(call.Last()), $"{capture}: call {call.Key} has a line after its terminal one");
            Assert.True(call.Last().TryGetProperty("outcome", out _));
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Replay_prints_the_call_states_the_call_manager_tests_assert_for_the_capture(string capture)
    {
        // CaptureReplayTests pins the fold's output on every capture to sequences derived by hand;
        // the command must print exactly those states, per call.
        var expected = Tests.Calls.CaptureReplay.Run(capture).States.Select(Render).ToList();
        var received = ReadMessages(capture + ".in.ami");
        var sent = ReadMessages(capture + ".out.ami").OfType<Obelus.Reactive.Protocol.AmiRequest>();

        var replayed = Obelus.Reactive.Calls.CallReplay.Replay(received, sent).Select(Render).ToList();
        var (_, lines) = Replay(capture);

        Assert.Equal(expected, replayed);
        Assert.Equal(
            replayed,
            lines.Select(l => $"{l.GetProperty("call").GetString()} {l.GetProperty("change").GetString()} {Number(l, "state")} {l.GetProperty("dialStatus")} {Number(l, "cause")} {(l.TryGetProperty("outcome", out var o) ? o.GetString() : string.Empty)} {string.Join(",", l.GetProperty("uniqueIds").EnumerateArray().Select(u => u.GetString()))}"));
    }

    [Fact]
    public void Busy_capture_ends_busy_with_cause_17_and_reason_5()
    {
        var (_, lines) = Replay("originate_busy");

        Assert.Equal(["Queued", "DialingStarted", "StateChanged", "DialingFinished", "Ended"], lines.Select(l => l.GetProperty("change").GetString()));
        var last = lines[^1];
        Assert.Equal("t2", last.GetProperty("call").GetString());
        Assert.Equal("Busy", last.GetProperty("outcome").GetString());
        Assert.Equal(17, last.GetProperty("cause").GetInt32());
        Assert.Equal(5, last.GetProperty("reason").GetInt32());
        Assert.Equal("BUSY", last.GetProperty("dialStatus").GetString());
        Assert.Equal("originate_busy-2", last.GetProperty("actionId").GetString());
    }

    [Fact]
    public void Iax2_capture_has_exactly_one_incoming_call_and_our_call_answered()
    {
        var (_, lines) = Replay("incoming_iax2");

        var incoming = lines.Where(l => l.GetProperty("direction").GetString() == "incoming").Select(l => l.GetProperty("call").GetString()).Distinct().ToList();
        Assert.Single(incoming);
        var ours = lines.Where(l => l.GetProperty("call").GetString() == "iax1").ToList();
        Assert.Equal("Answered", ours[^1].GetProperty("outcome").GetString());
    }

    [Fact]
    public void Bad_extension_capture_fails_with_originate_reason_0()
    {
        var (_, lines) = Replay("originate_bad_extension");

        var last = lines[^1];
        Assert.Equal("Failed", last.GetProperty("outcome").GetString());
        Assert.Equal(0, last.GetProperty("reason").GetInt32());
    }

    [Fact]
    public void Limited_user_capture_without_varset_still_ends_answered()
    {
        // read=call only: no VarSet, no ChannelId in this recording; the OriginateResponse binds the call.
        var (_, lines) = Replay("limited_user");

        Assert.Equal("lim1", lines[^1].GetProperty("call").GetString());
        Assert.Equal("Answered", lines[^1].GetProperty("outcome").GetString());
        Assert.Equal(16, lines[^1].GetProperty("cause").GetInt32());
    }

    [Fact]
    public void Without_the_sent_file_our_calls_are_still_bound_by_the_tracking_variable()
    {
        using var console = new CliConsole();
        var exit = ReplayCommand.Run(console.Console, console.Error, Trace("originate_answered.in.ami"), sent: null, trackingVariable: "X_TRACK");

        Assert.Equal(0, exit);
        var last = JsonDocument.Parse(console.Lines[^1]).RootElement;
        Assert.Equal("t1", last.GetProperty("call").GetString());
        Assert.Equal("Answered", last.GetProperty("outcome").GetString());
    }

    [Fact]
    public void Ctrl_c_stops_a_replay_with_exit_130_and_no_output()
    {
        using var console = new CliConsole();
        using var interrupted = new CancellationTokenSource();
        interrupted.Cancel();

        var exit = ReplayCommand.Run(console.Console, console.Error, Trace("originate_busy.in.ami"), Trace("originate_busy.out.ami"), trackingVariable: null, interrupted.Token);

        Assert.Equal(130, exit);
        Assert.Empty(console.Text);
        Assert.Equal("obelus: interrupted.", console.Error.ToString().Trim());
    }

    [Fact]
    public void A_missing_file_exits_1()
    {
        using var console = new CliConsole();

        var exit = ReplayCommand.Run(console.Console, console.Error, new FileInfo(Path.Combine(AppContext.BaseDirectory, "no-such-capture.ami")), sent: null, trackingVariable: null);

        Assert.Equal(1, exit);
        Assert.Empty(console.Text);
        Assert.StartsWith("obelus: cannot read capture", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_message_is_skipped_and_the_rest_replays()
    {
        var path = Path.Combine(Path.GetTempPath(), $"obelus-replay-{Guid.NewGuid():N}.ami");
        var good = File.ReadAllText(Trace("originate_busy.in.ami").FullName);
        File.WriteAllText(path, good.Replace("\r\n\r\nEvent: FullyBooted", "\r\n\r\nthis is not a header\r\n\r\nEvent: FullyBooted", StringComparison.Ordinal));
        try
        {
            using var console = new CliConsole();
            var exit = ReplayCommand.Run(console.Console, console.Error, new FileInfo(path), Trace("originate_busy.out.ami"), trackingVariable: null);

            Assert.Equal(0, exit);
            Assert.Contains(": skipped: AMI protocol error UnknownMessageKind", console.Error.ToString(), StringComparison.Ordinal);
            Assert.Equal("Busy", JsonDocument.Parse(console.Lines[^1]).RootElement.GetProperty("outcome").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Replay_reports_on_stderr_what_it_read_and_found()
    {
        using var console = new CliConsole();

        ReplayCommand.Run(console.Console, console.Error, Trace("originate_busy.in.ami"), Trace("originate_busy.out.ami"), trackingVariable: null);

        var report = console.Error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, report.Length);
        Assert.Matches(@"^obelus: read \d+ message\(s\) \(\d+ event\(s\)\) from originate_busy\.in\.ami; \d+ message\(s\) \(1 Originate\) from originate_busy\.out\.ami$", report[0]);
        Assert.Equal($"obelus: found 1 outgoing and 0 incoming call(s), {console.Lines.Count} state change(s).", report[1]);
    }

    [Fact]
    public void Without_sent_file_or_tracking_variable_replay_hints_how_to_recognise_outgoing_calls()
    {
        using var console = new CliConsole();

        var exit = ReplayCommand.Run(console.Console, console.Error, Trace("originate_busy.in.ami"), sent: null, trackingVariable: null);

        Assert.Equal(0, exit);
        Assert.Contains("no --sent file", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("obelus: hint: no outgoing call recognised: give --sent", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Swapped_files_are_reported_as_such()
    {
        using var console = new CliConsole();

        ReplayCommand.Run(console.Console, console.Error, Trace("originate_busy.out.ami"), Trace("originate_busy.in.ami"), trackingVariable: null);

        Assert.Empty(console.Text);
        Assert.Contains("obelus: hint: --received holds actions or --sent holds events: the two files look swapped.", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_capture_is_reported_with_a_hint()
    {
        var path = Path.Combine(Path.GetTempPath(), $"obelus-replay-{Guid.NewGuid():N}.ami");
        File.WriteAllBytes(path, []);
        try
        {
            using var console = new CliConsole();

            var exit = ReplayCommand.Run(console.Console, console.Error, new FileInfo(path), sent: null, trackingVariable: null);

            Assert.Equal(0, exit);
            Assert.Empty(console.Text);
            Assert.Contains($"obelus: read 0 message(s) (0 event(s)) from {Path.GetFileName(path)}", console.Error.ToString(), StringComparison.Ordinal);
            Assert.Contains("holds no AMI message", console.Error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static (int Exit, IReadOnlyList<JsonElement> Lines) Replay(string capture)
    {
        using var console = new CliConsole();
        var exit = ReplayCommand.Run(console.Console, console.Error, Trace(capture + ".in.ami"), Trace(capture + ".out.ami"), trackingVariable: null);
        return (exit, console.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList());
    }

    private static string Render(Obelus.Reactive.Calls.CallState state) =>
        $"{state.CallId} {state.Change} {(state.ChannelState is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)} {state.DialStatus} {(state.HangupCause is { } c ? ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)} {state.Outcome} {string.Join(",", state.UniqueIds)}";

    private static string Number(JsonElement line, string name) =>
        line.GetProperty(name).ValueKind == JsonValueKind.Number ? line.GetProperty(name).GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;

    private static List<Obelus.Reactive.Protocol.AmiMessage> ReadMessages(string file) =>
        ReplayCommand.ReadMessages(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Traces", file)), file, TextWriter.Null);

    private static bool IsTerminal(JsonElement line) => line.GetProperty("change").GetString() is "Ended" or "Failed";

    private static FileInfo Trace(string name) => new(Path.Combine(AppContext.BaseDirectory, "Traces", name));
}
