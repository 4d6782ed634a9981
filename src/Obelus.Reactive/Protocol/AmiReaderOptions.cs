namespace Obelus.Reactive.Protocol;

/// <summary>Limits applied by <see cref="AmiMessageReader"/>; input past a limit is skipped and reported.</summary>
public sealed record AmiReaderOptions
{
    /// <summary>The defaults: 64 KiB lines, 4096 headers, 4 MiB per message.</summary>
    public static AmiReaderOptions Default { get; } = new();

    /// <summary>Longest accepted line in bytes, line end excluded.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>Most headers (command output lines included) in one message.</summary>
    public int MaxHeaderCount { get; init; } = 4096;

    /// <summary>Largest accepted message in bytes, line ends included.</summary>
    public int MaxMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Longest accepted greeting line in bytes, line end excluded (default 256; Asterisk's is about
    /// 30; never more than <see cref="MaxLineLength"/>). A longer greeting, or one still without a line end past this many bytes, is an
    /// <see cref="AmiProtocolError.InvalidBanner"/> at once.
    /// </summary>
    public int MaxBannerLength { get; init; } = 256;

    /// <summary>
    /// Whether the stream starts with an <c>Asterisk Call Manager/x.y.z</c> greeting line
    /// (true for a client; false for a server reading actions).
    /// </summary>
    public bool ExpectBanner { get; init; } = true;

    /// <summary>Throws when a limit is not positive, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxLineLength, nameof(MaxLineLength));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxHeaderCount, nameof(MaxHeaderCount));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxMessageBytes, nameof(MaxMessageBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBannerLength, nameof(MaxBannerLength));
    }
}
