using System.CommandLine;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Cli.Rendering;
using Obelus.Reactive.Client;
using Obelus.Reactive.Protocol;
using Spectre.Console;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>Originates one call on a real Asterisk and follows it to its end.</summary>
internal static class OriginateCommand
{
    private static readonly Option<string> Channel = new("--channel") { Description = "Channel to call, e.g. PJSIP/100 or Local/100@default", Required = true };
    private static readonly Option<string?> Context = new("--context") { Description = "Dialplan context to connect the answered channel to" };
    private static readonly Option<string?> Exten = new("--exten") { Description = "Extension in that context" };
    private static readonly Option<int> Priority = OptionRules.WholeNumber("--priority", "Priority in that extension", 1, 1, int.MaxValue);
    private static readonly Option<string?> Application = new("--application") { Description = "Application to run instead of a context/extension" };
    private static readonly Option<string?> Data = new("--data") { Description = "Data for that application" };
    private static readonly Option<string?> CallerId = new("--caller-id") { Description = "Caller id, e.g. '\"Sales\" <100>'" };
    private static readonly Option<int> TimeoutMs = OptionRules.WholeNumber("--timeout", "How long to ring, in milliseconds", 30_000, 1, int.MaxValue);
    private static readonly Option<string[]> Variables = new("--var") { Description = "Channel variable NAME=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object per state change (the replay format)" };

    /// <summary>How long, after Ctrl+C, to wait for the call to be accepted (to have something to hang up) and then to end.</summary>
    private static readonly TimeSpan HangupWait = TimeSpan.FromSeconds(5);

    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var connection = new ConnectionSettings(reconnectByDefault: false);
        var command = new Command(
            "originate",
            "Originate one call on an Asterisk server and follow it to its end, one line per change. "
            + "Exit code: 0 answered, 3 busy, 4 no answer, 5 congestion, 6 rejected, 7 cancelled, 8 failed, 9 lost, 130 Ctrl+C (the call is hung up)");
        connection.AddTo(command);
        foreach (var option in (Option[])[Channel, Context, Exten, Priority, Application, Data, CallerId, TimeoutMs, Variables, Json])
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            var dialplan = result.GetValue(Exten) is not null || result.GetValue(Context) is not null;
            var application = result.GetValue(Application) is not null;
            if (dialplan == application)
            {
                result.AddError("Give either --context and --exten, or --application (and --data).");
            }
        });
        command.SetAction((parse, cancellationToken) =>
            CommandRunner.RunAsync(error, connection.Server(parse), () => RunAsync(console, error, connection, parse, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole console, TextWriter error, ConnectionSettings connection, ParseResult parse, CancellationToken stop)
    {
        var request = BuildRequest(parse);
        var server = connection.Server(parse);
        var options = connection.Read(parse);
        var logger = connection.Logger(parse, error);
        var json = parse.GetValue(Json);
        var output = console.Profile.Out.Writer;
        await using var client = await AmiClient.ConnectAsync(options, connection.Transport(parse), logger: logger, cancellationToken: stop).ConfigureAwait(false);

        // On stderr, so that --json output stays one JSON object per line. The first state is the current one (connected).
        // Subscribed before the manager, so that a lost connection is told before the call it ends.
        using var connectionLines = client.States.Skip(1).Subscribe(state => error.WriteLine("obelus: " + ConnectionStatusText.Describe(state, server)));

        // Without reconnecting the connection will not come back: a live call is given up as lost
        // at once, instead of after the manager's usual wait for a new login.
        var managerOptions = options.Reconnect is null ? new CallManagerOptions { ReconnectGrace = TimeSpan.Zero } : null;
        using var manager = new CallManager(client, managerOptions, logger: logger);
        var channels = new CallChannels();
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var names = client.Events.Subscribe(channels.Observe);

        IObservable<CallState> call;
        try
        {
            call = manager.Originate(request);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(CommandRunner.Describe(e, server), ExitCodes.Usage);
        }

        var ended = call
            .Do(state =>
            {
                channels.Update(state);
                accepted.TrySetResult();
                output.WriteLine(json ? CallStateJson.Format(state) : OriginateLine.Format(state));
            })
            .LastOrDefaultAsync()
            .ToTask(CancellationToken.None);
        try
        {
            await ended.WaitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await HangUpAsync(client, channels, accepted.Task, error, server).ConfigureAwait(false);
            await Task.WhenAny(ended, Task.Delay(HangupWait, CancellationToken.None)).ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }

        // Why a call failed (the server's own message when it refused the Originate) is on its last line.
        var last = await ended.ConfigureAwait(false);
        return ExitCodes.Of(last?.Outcome);
    }

    /// <summary>Ctrl+C: hangs up the call this command placed, once the server has accepted it (waiting a few seconds for that).</summary>
    private static async Task HangUpAsync(AmiClient client, CallChannels channels, Task accepted, TextWriter error, string server)
    {
        await Task.WhenAny(accepted, Task.Delay(HangupWait)).ConfigureAwait(false);
        if (channels.Latest?.IsTerminal == true)
        {
            return;
        }

        if (channels.FirstChannel() is not { } channel)
        {
            await error.WriteLineAsync("obelus: interrupted before the server accepted the call; it may still be placed.").ConfigureAwait(false);
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(HangupWait);
            await client.SendAsync(new AmiAction("Hangup").Add("Channel", channel), timeout.Token).ConfigureAwait(false);
            await error.WriteLineAsync($"obelus: interrupted; hung up {TerminalText.Clean(channel)}.").ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmiException or OperationCanceledException)
        {
            await error.WriteLineAsync($"obelus: interrupted; could not hang up {TerminalText.Clean(channel)}: {CommandRunner.Describe(e, server)}").ConfigureAwait(false);
        }
    }

    private static OriginateRequest BuildRequest(ParseResult parse)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parse.GetValue(Variables) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CommandFailedException($"--var '{pair}' is not NAME=VALUE.", ExitCodes.Usage);
            }

            variables[pair[..equals]] = pair[(equals + 1)..];
        }

        var application = parse.GetValue(Application);
        return new OriginateRequest
        {
            Channel = parse.GetValue(Channel)!,
            Context = application is null ? parse.GetValue(Context) : null,
            Exten = application is null ? parse.GetValue(Exten) : null,
            Priority = application is null ? parse.GetValue(Priority) : null,
            Application = application,
            Data = parse.GetValue(Data),
            CallerId = parse.GetValue(CallerId),
            Timeout = TimeSpan.FromMilliseconds(parse.GetValue(TimeoutMs)),
            Variables = variables,
        };
    }

}
