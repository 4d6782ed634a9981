using System.Buffers;

namespace Obelus.Reactive.Protocol;

/// <summary>Serialises actions (client side) and messages (server side) to AMI wire bytes.</summary>
public static class AmiWriter
{
    /// <summary>
    /// Writes <c>Action</c>, <c>ActionID</c> (when set), the headers in order and the blank line.
    /// </summary>
    /// <exception cref="ArgumentException">A key or value contains CR, LF or NUL, or a key is empty; nothing is written.</exception>
    public static void WriteAction(AmiAction action, IBufferWriter<byte> output)
    {
        _ = action;
        _ = output;
        throw new NotImplementedException();
    }

    /// <summary>Writes a message (response or event, e.g. from a simulated server) and its blank line.</summary>
    public static void WriteMessage(AmiMessage message, IBufferWriter<byte> output)
    {
        _ = message;
        _ = output;
        throw new NotImplementedException();
    }
}
