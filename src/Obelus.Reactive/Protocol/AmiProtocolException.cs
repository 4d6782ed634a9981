namespace Obelus.Reactive.Protocol;

/// <summary>
/// Malformed or over-limit AMI input. The reader reports it and resynchronises at the next
/// blank line, so one bad message never takes a connection down.
/// </summary>
public sealed class AmiProtocolException : AmiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">What was wrong.</param>
    /// <param name="offset">Offset in the byte stream (from the first byte of the connection) where the offending line starts.</param>
    /// <param name="line">The offending line (possibly cut short), decoded with replacement characters.</param>
    /// <param name="detail">Optional extra context.</param>
    public AmiProtocolException(AmiProtocolError error, long offset, string? line, string? detail = null)
        : base(BuildMessage(error, offset, line, detail))
    {
        Error = error;
        Offset = offset;
        Line = line;
    }

    /// <summary>What was wrong.</summary>
    public AmiProtocolError Error { get; }

    /// <summary>Offset in the connection's byte stream where the offending line starts.</summary>
    public long Offset { get; }

    /// <summary>The offending line, at most a few hundred characters of it.</summary>
    public string? Line { get; }

    /// <summary>
    /// The ActionID of the response that was spoiled, when the reader knows it (a legacy
    /// command body without its end marker); the client fails that action with this exception.
    /// </summary>
    public string? ActionId { get; init; }

    private static string BuildMessage(AmiProtocolError error, long offset, string? line, string? detail)
    {
        var text = $"AMI protocol error {error} at offset {offset}";
        if (detail is not null)
        {
            text += ": " + detail;
        }

        // The line is the server's bytes: escaped so it cannot forge log lines or drive a terminal.
        return line is null ? text : text + $" (line: \"{LogText.Clean(line)}\")";
    }
}
