using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Obelus.Reactive.Testing;
using Spectre.Console;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>Serves the simulated Asterisk on loopback until Ctrl+C, for any AMI tool or application.</summary>
internal static class SimulateCommand
{
    private const string DestinationsHelp =
        "Destinations: Originate Channel=Local/<exten>@default where <exten> is answer or 100 (answers, hangs up after 1 s), "
        + "busy or 200, noanswer or 300 (rings until the Originate Timeout), congestion or 500, dial or 400 (a Local channel "
        + "that dials Local/100@default), long or 1000 (answers, 30 s); any other extension or context behaves like a missing "
        + "extension (Response: Success, then OriginateResponse Failure, reason 0).";

    private static readonly Option<int> Port = OptionRules.WholeNumber("--port", "TCP port on 127.0.0.1 (0: any free port)", 5038, 0, 65535);
    private static readonly Option<string> User = new("--user") { Description = "The AMI user the simulator accepts", DefaultValueFactory = _ => "obelus" };
    private static readonly Option<string> Secret = new("--secret") { Description = "That user's secret", DefaultValueFactory = _ => "obelus" };
    private static readonly Option<double> IncomingRate = OptionRules.Number("--incoming-rate", "Incoming calls per minute (0: none)", 0, 0, 60_000);

    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var command = new Command("simulate", "Serve a simulated Asterisk (AMI) on loopback until Ctrl+C. " + DestinationsHelp);
        command.Options.Add(Port);
        command.Options.Add(User);
        command.Options.Add(Secret);
        command.Options.Add(IncomingRate);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, server: null, async () =>
        {
            var options = new AmiSimulatorOptions { Username = parse.GetValue(User)!, Secret = parse.GetValue(Secret)! };
            await using var simulator = new AmiSimulator(options);
            var port = parse.GetValue(Port);
            IPEndPoint endpoint;
            try
            {
                endpoint = await simulator.StartTcpAsync(port, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                var why = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is already in use" : "needs privileges this user does not have";
                throw new CommandFailedException(string.Create(CultureInfo.InvariantCulture, $"cannot listen on 127.0.0.1:{port}: the port {why}; choose another with --port (0: any free port)."), ExitCodes.Usage);
            }

            // Printing the secret is deliberate here: it is the simulator's own, chosen on this command line.
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulated Asterisk (AMI) listening on 127.0.0.1:{endpoint.Port}"));
            console.WriteLine($"Credentials: user '{options.Username}', secret '{options.Secret}' (plain or MD5 login)");
            console.WriteLine("Press Ctrl+C to stop.");

            var rate = parse.GetValue(IncomingRate);
            using var incoming = rate > 0 ? simulator.SimulateIncomingCalls(TimeSpan.FromMinutes(1 / rate)) : null;
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            console.WriteLine("Stopped.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
