using System.CommandLine;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Cli.Rendering;
using Obelus.Reactive.Client;
using Spectre.Console;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>Originates one call on a real Asterisk and follows it to its end.</summary>
internal static class OriginateCommand
{
    private static readonly Option<string> Channel = new("--channel") { Description = "Channel to call, e.g. PJSIP/100 or Local/100@default", Required = true };
    private static readonly Option<string?> Context = new("--context") { Description = "Dialplan context to connect the answered channel to" };
    private static readonly Option<string?> Exten = new("--exten") { Description = "Extension in that context" };
    private static readonly Option<int> Priority = new("--priority") { Description = "Priority in that extension", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Application = new("--application") { Description = "Application to run instead of a context/extension" };
    private static readonly Option<string?> Data = new("--data") { Description = "Data for that application" };
    private static readonly Option<string?> CallerId = new("--caller-id") { Description = "Caller id, e.g. '\"Sales\" <100>'" };
    private static readonly Option<int> TimeoutMs = new Option<int>("--timeout") { Description = "How long to ring, in milliseconds", DefaultValueFactory = _ => 30_000 }
        .InRange(1, int.MaxValue, "--timeout must be a positive number of milliseconds.");
    private static readonly Option<string[]> Variables = new("--var") { Description = "Channel variable NAME=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object per state change (the replay format)" };

    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var connection = new ConnectionSettings();
        var command = new Command("originate", "Originate one call on an Asterisk server and follow it to its end");
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
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var request = BuildRequest(parse);
            await using var client = await AmiClient.ConnectAsync(connection.Read(parse), cancellationToken: cancellationToken).ConfigureAwait(false);
            using var manager = new CallManager(client);
            var json = parse.GetValue(Json);
            var last = await manager.Originate(request)
                .Do(state => console.Profile.Out.Writer.WriteLine(json ? CallStateJson.Format(state) : Describe(state)))
                .LastOrDefaultAsync()
                .ToTask(cancellationToken)
                .ConfigureAwait(false);
            if (last is { Change: CallChange.Failed, Failure: { OriginateReason: null } failure })
            {
                // The server refused the action itself (Response: Error): that is not a call outcome.
                throw new CommandFailedException("Originate refused: " + failure.Message);
            }

            return 0;
        }));
        return command;
    }

    private static OriginateRequest BuildRequest(ParseResult parse)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parse.GetValue(Variables) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CommandFailedException($"--var '{pair}' is not NAME=VALUE.");
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

    private static string Describe(CallState state) => state.ToString();
}
