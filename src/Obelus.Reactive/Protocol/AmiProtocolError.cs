namespace Obelus.Reactive.Protocol;

/// <summary>Why a piece of AMI input was rejected.</summary>
public enum AmiProtocolError
{
    /// <summary>The first line of the connection is not an <c>Asterisk Call Manager/x.y.z</c> greeting.</summary>
    InvalidBanner,

    /// <summary>The first line of a message is neither <c>Response:</c>, <c>Event:</c> nor <c>Action:</c>.</summary>
    UnknownMessageKind,

    /// <summary>A header line has no colon (outside a command output body).</summary>
    MissingColon,

    /// <summary>A header line has an empty name.</summary>
    EmptyHeaderName,

    /// <summary>A line is longer than <see cref="AmiReaderOptions.MaxLineLength"/>.</summary>
    LineTooLong,

    /// <summary>A message has more headers than <see cref="AmiReaderOptions.MaxHeaderCount"/>.</summary>
    TooManyHeaders,

    /// <summary>A message is larger than <see cref="AmiReaderOptions.MaxMessageBytes"/>.</summary>
    MessageTooLarge,

    /// <summary>The stream ended in the middle of a message.</summary>
    TruncatedMessage,

    /// <summary>
    /// A legacy <c>Response: Follows</c> body had no <c>--END COMMAND--</c>: a blank line and then
    /// the start of the next message (<c>Response:</c> or <c>Event:</c>) came first. The body is
    /// dropped and reading resumes at that message.
    /// </summary>
    MissingEndCommand,
}
