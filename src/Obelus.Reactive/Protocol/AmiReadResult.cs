namespace Obelus.Reactive.Protocol;

/// <summary>One item produced by <see cref="AmiMessageReader"/>: a banner, a message, or a reported error.</summary>
public readonly struct AmiReadResult
{
    private AmiReadResult(AmiBanner? banner, AmiMessage? message, AmiProtocolException? error)
    {
        Banner = banner;
        Message = message;
        Error = error;
    }

    /// <summary>The greeting line, when this result is the banner.</summary>
    public AmiBanner? Banner { get; }

    /// <summary>The message, when this result is a message.</summary>
    public AmiMessage? Message { get; }

    /// <summary>
    /// The problem, when input was malformed or over a limit. The reader has already skipped
    /// the bad message (or is skipping it) and goes on with the next one.
    /// </summary>
    public AmiProtocolException? Error { get; }

    internal static AmiReadResult ForBanner(AmiBanner banner) => new(banner, null, null);

    internal static AmiReadResult ForMessage(AmiMessage message) => new(null, message, null);

    internal static AmiReadResult ForError(AmiProtocolException error) => new(null, null, error);
}
