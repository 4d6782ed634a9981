using System.Globalization;
using System.Reactive.Concurrency;
using System.Security.Cryptography;
using System.Text;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>Session actions: login, ping, events, filters, variables, logoff, unknown actions.</summary>
internal sealed partial class SimulatedServer
{
    /// <summary>Runs one action; returns a task when the session must wait (sync Originate, refused login).</summary>
    private Task? Dispatch(SimulatorSession session, AmiRequest request)
    {
        lock (_gate)
        {
            var name = request.Name.ToUpperInvariant();
            var id = request.ActionId;
            if (!session.Authenticated && name is not ("LOGIN" or "CHALLENGE" or "LOGOFF"))
            {
                Respond(session, Reply("Error", id, ("Message", "Permission denied")));
                return null;
            }

            switch (name)
            {
                case "LOGIN":
                    return Login(session, request);
                case "CHALLENGE":
                    Challenge(session, request);
                    return null;
                case "LOGOFF":
                    Respond(session, Reply("Goodbye", id, ("Message", "Thanks for all the fish.")));
                    session.Close();
                    return null;
                case "PING":
                    Respond(session, Reply("Success", id, ("Ping", "Pong"), ("Timestamp", Seconds(WallNow.ToUnixTimeMilliseconds() / 1000.0))));
                    return null;
                case "EVENTS":
                    session.EventsOn = !IsOff(request["EventMask"]);
                    Respond(session, Reply("Success", id, ("Events", session.EventsOn ? "On" : "Off")));
                    return null;
                case "FILTER":
                    Filter(session, request);
                    return null;
                case "GETVAR":
                    Getvar(session, request);
                    return null;
                case "SETVAR":
                    Setvar(session, request);
                    return null;
                case "HANGUP":
                    HangupAction(session, request);
                    return null;
                case "COMMAND":
                    Command(session, request);
                    return null;
                case "CORESHOWCHANNELS":
                    CoreShowChannels(session, request);
                    return null;
                case "STATUS":
                    Status(session, request);
                    return null;
                case "ORIGINATE":
                    return Originate(session, request);
                default:
                    UnknownAction(session, request);
                    return null;
            }
        }
    }

    private Task? Login(SimulatorSession session, AmiRequest request)
    {
        var username = request["Username"] ?? string.Empty;
        bool accepted;
        if (string.Equals(request["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase))
        {
            accepted = session.Challenge is not null
                && string.Equals(request["Key"], Md5Hex(session.Challenge + Options.Secret), StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            accepted = request["Secret"] is { } secret && string.Equals(secret, Options.Secret, StringComparison.Ordinal);
        }

        accepted = accepted && string.Equals(username, Options.Username, StringComparison.Ordinal);
        if (!accepted)
        {
            LogMessages.LoginRefused(Logger, session.Id, username);
            var refused = Reply("Error", request.ActionId, ("Message", "Authentication failed"));
            if (Options.FailedLoginDelay <= TimeSpan.Zero)
            {
                Respond(session, refused);
                session.Close();
                return null;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Scheduler.Schedule(Options.FailedLoginDelay, () =>
            {
                lock (_gate)
                {
                    Respond(session, refused);
                    session.Close();
                }

                done.TrySetResult();
            });
            return done.Task;
        }

        session.Authenticated = true;
        session.Username = username;
        session.EventsOn = !IsOff(request["Events"]);
        Respond(session, Reply("Success", request.ActionId, ("Message", "Authentication accepted")));
        if (session.EventsOn && !Faults.StopAnswering)
        {
            var now = WallNow;
            var uptime = ((long)(Scheduler.Now - _startedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture);
            SendDirect(session, AmiEvent.Create("FullyBooted", ("Privilege", "system,all"), ("Uptime", uptime), ("LastReload", uptime), ("Status", "Fully Booted")));
            SendDirect(session, AmiEvent.Create(
                "SuccessfulAuth",
                ("Privilege", "security,all"),
                ("EventTV", Timestamp(now)),
                ("Severity", "Informational"),
                ("Service", "AMI"),
                ("EventVersion", "1"),
                ("AccountID", username),
                ("SessionID", session.SessionId),
                ("LocalAddress", session.LocalAddress),
                ("RemoteAddress", session.RemoteAddress),
                ("UsingPassword", "0"),
                ("SessionTV", Timestamp(now))));
        }

        return null;
    }

    private void Challenge(SimulatorSession session, AmiRequest request)
    {
        if (!string.Equals(request["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase))
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "Must specify AuthType")));
            return;
        }

        session.Challenge ??= _random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        Respond(session, Reply("Success", request.ActionId, ("Challenge", session.Challenge)));
    }

    private void Filter(SimulatorSession session, AmiRequest request)
    {
        if (!string.Equals(request["Operation"] ?? "Add", "Add", StringComparison.OrdinalIgnoreCase))
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "Unknown operation")));
            return;
        }

        try
        {
            var criteria = request["MatchCriteria"];
            var filter = criteria is null
                ? EventFilter.FromLegacy(request["Filter"] ?? throw new ArgumentException("No Filter header."), Options.FilterMatchTimeout)
                : EventFilter.FromCriteria(criteria, request["Filter"], Options.FilterMatchTimeout);
            session.Filters.Add(filter);
            Respond(session, Reply("Success", request.ActionId, ("Message", "Success")));
        }
        catch (ArgumentException)
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "Filter Add failed")));
        }
    }

    private void Getvar(SimulatorSession session, AmiRequest request)
    {
        var variable = request["Variable"];
        if (string.IsNullOrEmpty(variable))
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "No variable specified")));
            return;
        }

        var channelName = request["Channel"];
        string value;
        if (string.IsNullOrEmpty(channelName))
        {
            value = variable == "EPOCH"
                ? WallNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
                : _globals.GetValueOrDefault(variable, string.Empty);
        }
        else if (FindChannel(channelName) is { } channel)
        {
            value = channel.Variables.GetValueOrDefault(variable, string.Empty);
        }
        else
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "No such channel")));
            return;
        }

        Respond(session, Reply("Success", request.ActionId, ("Variable", variable), ("Value", value)));
    }

    private void Setvar(SimulatorSession session, AmiRequest request)
    {
        var variable = request["Variable"];
        if (string.IsNullOrEmpty(variable))
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "No variable specified")));
            return;
        }

        var value = request["Value"] ?? string.Empty;
        var channelName = request["Channel"];
        if (string.IsNullOrEmpty(channelName))
        {
            _globals[variable] = value;
            Respond(session, Reply("Success", request.ActionId, ("Message", "Variable Set")));
            return;
        }

        if (FindChannel(channelName) is not { } channel)
        {
            Respond(session, Reply("Error", request.ActionId, ("Message", "No such channel")));
            return;
        }

        Respond(session, Reply("Success", request.ActionId, ("Message", "Variable Set")));
        EmitVarSet(channel, variable, value);
    }

    private void UnknownAction(SimulatorSession session, AmiRequest request)
    {
        Respond(session, Reply("Error", request.ActionId, ("Message", $"Invalid/unknown command: {request.Name}. Use Action: ListCommands to show available commands.")));
        var now = Timestamp(WallNow);
        Emit("RequestBadFormat", "security,all",
        [
            new("EventTV", now),
            new("Severity", "Error"),
            new("Service", "AMI"),
            new("EventVersion", "1"),
            new("SessionID", session.SessionId),
            new("LocalAddress", session.LocalAddress),
            new("RemoteAddress", session.RemoteAddress),
            new("RequestType", "Action: " + request.Name),
            new("SessionTV", now),
            new("AccountID", session.Username ?? string.Empty),
        ]);
    }

    private SimChannel? FindChannel(string name) =>
        _channels.Find(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    private static bool IsOff(string? value) =>
        value is not null && (value.Equals("off", StringComparison.OrdinalIgnoreCase) || value.Equals("no", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase));

    private static string Md5Hex(string text)
    {
        // MD5 is what the AMI Challenge login specifies; it is not used here for security.
#pragma warning disable CA5351
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }
}
