using System.Buffers;
using System.Text;
using static Obelus.Reactive.Protocol.AmiBytes;

namespace Obelus.Reactive.Protocol;

/// <summary>Serialises actions (client side) and messages (server side) to AMI wire bytes.</summary>
/// <remarks>
/// Text is written as UTF-8 with CRLF line ends. Every name and value is checked again right
/// before writing (CR, LF or NUL anywhere, an empty name, or a ':' in a name is refused), and the
/// whole message is checked before the first byte goes out, so a refused message leaves the
/// output untouched.
/// </remarks>
public static class AmiWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// Writes <c>Action</c>, <c>ActionID</c> (when set), the headers in order and the blank line.
    /// </summary>
    /// <exception cref="ArgumentException">A key or value contains CR, LF or NUL, or a key is empty; nothing is written.</exception>
    public static void WriteAction(AmiAction action, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(action);
        WriteAction(action, action.ActionId, output);
    }

    /// <summary>As <see cref="WriteAction(AmiAction, IBufferWriter{byte})"/>, with <paramref name="actionId"/> in place of the action's own.</summary>
    internal static void WriteAction(AmiAction action, string? actionId, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(output);
        var size = MeasureAction(action, actionId);
        var span = output.GetSpan(size);
        var written = WriteHeader(span, "Action", action.Name);
        if (actionId is not null)
        {
            written += WriteHeader(span[written..], "ActionID", actionId);
        }

        foreach (var header in action.Headers)
        {
            written += WriteHeader(span[written..], header.Name, header.Value);
        }

        CrLf.CopyTo(span[written..]);
        output.Advance(written + CrLf.Length);
    }

    /// <summary>The wire bytes of <paramref name="action"/>, as <see cref="WriteAction(AmiAction, IBufferWriter{byte})"/> writes them.</summary>
    /// <exception cref="ArgumentException">A key or value contains CR, LF or NUL, or a key is empty.</exception>
    public static byte[] ToBytes(AmiAction action)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteAction(action, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a message (response or event, e.g. from a simulated server) and its blank line.</summary>
    /// <remarks>
    /// Only the headers are written. <see cref="AmiMessage.Output"/> is not: to send command
    /// output, put it in <c>Output</c> headers (the form Asterisk 14 and later use), which the
    /// reader turns back into <see cref="AmiMessage.Output"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">A name or value contains CR, LF or NUL, or a name is empty or has a ':'; nothing is written.</exception>
    public static void WriteMessage(AmiMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        var size = CrLf.Length;
        for (var i = 0; i < message.Count; i++)
        {
            var header = message[i];
            size += MeasureHeader(header.Name, header.Value);
        }

        var span = output.GetSpan(size);
        var written = 0;
        for (var i = 0; i < message.Count; i++)
        {
            var header = message[i];
            written += WriteHeader(span[written..], header.Name, header.Value);
        }

        CrLf.CopyTo(span[written..]);
        output.Advance(written + CrLf.Length);
    }

    private static int MeasureAction(AmiAction action, string? actionId)
    {
        var size = MeasureHeader("Action", action.Name) + CrLf.Length;
        if (actionId is not null)
        {
            AmiAction.ValidateLineLength("ActionID", actionId, nameof(actionId));
            size += MeasureHeader("ActionID", actionId);
        }

        foreach (var header in action.Headers)
        {
            size += MeasureHeader(header.Name, header.Value);
        }

        return size;
    }

    /// <summary>Validates one header and returns its size on the wire (<c>Name: Value\r\n</c>).</summary>
    private static int MeasureHeader(string name, string value)
    {
        AmiAction.ValidateToken(name, nameof(name), allowEmpty: false);
        AmiAction.ValidateToken(value, nameof(value), allowEmpty: true);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Header name '{name}' must not contain ':'.", nameof(name));
        }

        return Utf8.GetByteCount(name) + ColonSpace.Length + Utf8.GetByteCount(value) + CrLf.Length;
    }

    private static int WriteHeader(Span<byte> span, string name, string value)
    {
        var written = Utf8.GetBytes(name, span);
        ColonSpace.CopyTo(span[written..]);
        written += ColonSpace.Length;
        written += Utf8.GetBytes(value, span[written..]);
        CrLf.CopyTo(span[written..]);
        return written + CrLf.Length;
    }
}
