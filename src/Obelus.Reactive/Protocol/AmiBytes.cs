namespace Obelus.Reactive.Protocol;

/// <summary>The bytes the AMI framing is made of.</summary>
internal static class AmiBytes
{
    public const byte ByteCR = (byte)'\r';
    public const byte ByteLF = (byte)'\n';
    public const byte ByteColon = (byte)':';
    public const byte ByteSpace = (byte)' ';
    public const byte ByteSlash = (byte)'/';

    /// <summary>How many bytes of an offending line an error message quotes.</summary>
    public const int QuotedLineBytes = 200;

    /// <summary>Ends the body of a legacy <c>Response: Follows</c> (possibly glued to the last output line).</summary>
    public static ReadOnlySpan<byte> EndCommandMarker => "--END COMMAND--"u8;

    public static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    public static ReadOnlySpan<byte> ColonSpace => ": "u8;
}
