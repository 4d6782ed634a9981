using System.Buffers;
using System.CommandLine;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Cli.Rendering;
using Obelus.Reactive.Protocol;
using Spectre.Console;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>Runs the call fold over a raw AMI capture and prints each call state change as a JSON line; on stderr, what it read and found.</summary>
internal static class ReplayCommand
{
    private static readonly Option<FileInfo> Received = new("--received") { Description = "Bytes received from Asterisk (a raw capture, e.g. NAME.in.ami)", Required = true };
    private static readonly Option<FileInfo?> Sent = new("--sent") { Description = "Bytes the client sent (NAME.out.ami): teaches the fold each Originate as it went out" };
    private static readonly Option<string?> TrackingVariable = new("--tracking-variable") { Description = "The Originates' tracking variable (default: the first variable of the first Originate)" };

    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var command = new Command("replay", "Fold a raw AMI capture into calls and print one JSON object per call state change");
        command.Options.Add(Received);
        command.Options.Add(Sent);
        command.Options.Add(TrackingVariable);
        command.SetAction((parse, cancellationToken) =>
            Task.FromResult(Run(console, error, parse.GetValue(Received)!, parse.GetValue(Sent), parse.GetValue(TrackingVariable), cancellationToken)));
        return command;
    }

    /// <summary>Replays the capture; Ctrl+C (<paramref name="cancellationToken"/>) stops it between messages with <see cref="ExitCodes.Interrupted"/>.</summary>
    public static int Run(IAnsiConsole console, TextWriter error, FileInfo received, FileInfo? sent, string? trackingVariable, CancellationToken cancellationToken = default)
    {
        try
        {
            return Replay(console, error, received, sent, trackingVariable, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("obelus: interrupted.");
            return ExitCodes.Interrupted;
        }
    }

    private static int Replay(IAnsiConsole console, TextWriter error, FileInfo received, FileInfo? sent, string? trackingVariable, CancellationToken cancellationToken)
    {
        byte[] receivedBytes;
        byte[] sentBytes;
        try
        {
            receivedBytes = File.ReadAllBytes(received.FullName);
            sentBytes = sent is null ? [] : File.ReadAllBytes(sent.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine("obelus: cannot read capture: " + TerminalText.Clean(e.Message));
            return ExitCodes.Failed;
        }

        var messages = ReadMessages(receivedBytes, received.Name, error, cancellationToken);
        var sentMessages = ReadMessages(sentBytes, sent?.Name ?? string.Empty, error, cancellationToken);
        var actions = sentMessages.OfType<AmiRequest>().ToList();
        IReadOnlyList<CallState> states;
        try
        {
            states = CallReplay.Replay(messages, actions, trackingVariable);
        }
        catch (ArgumentException e)
        {
            error.WriteLine("obelus: " + CommandRunner.Describe(e, received.Name));
            return ExitCodes.Usage;
        }

        var output = console.Profile.Out.Writer;
        foreach (var state in states)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.WriteLine(CallStateJson.Format(state));
        }

        foreach (var line in ReplayReport.Describe(received.Name, messages, sent?.Name, sentMessages, trackingVariable, states))
        {
            error.WriteLine("obelus: " + line);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The messages of a raw capture in wire order (a leading greeting is read as the banner);
    /// malformed ones are reported on <paramref name="errors"/> and skipped.
    /// </summary>
    internal static List<AmiMessage> ReadMessages(byte[] bytes, string file, TextWriter errors, CancellationToken cancellationToken = default)
    {
        var reader = new AmiMessageReader(new AmiReaderOptions { ExpectBanner = bytes.AsSpan().StartsWith("Asterisk Call Manager"u8) });
        var buffer = new ReadOnlySequence<byte>(bytes);
        var messages = new List<AmiMessage>();
        while (reader.TryRead(ref buffer, out var result))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (result.Message is { } message)
            {
                messages.Add(message);
            }
            else if (result.Error is { } error)
            {
                errors.WriteLine($"obelus: {file}: skipped: {TerminalText.Clean(error.Message)}");
            }
        }

        if (reader.Complete(buffer) is { } truncated)
        {
            errors.WriteLine($"obelus: {file}: skipped: {TerminalText.Clean(truncated.Message)}");
        }

        return messages;
    }
}
