namespace Obelus.Reactive.Client;

/// <summary>The connection could not be opened, or was lost (EOF, reset, keep-alive timeout, disposal).</summary>
public sealed class AmiConnectionException : AmiException
{
    /// <summary>Creates the exception.</summary>
    public AmiConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
