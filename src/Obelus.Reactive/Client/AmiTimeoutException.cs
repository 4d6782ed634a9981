namespace Obelus.Reactive.Client;

/// <summary>A connection, a greeting or a response did not arrive in time (measured on the client's scheduler).</summary>
public sealed class AmiTimeoutException : AmiException
{
    /// <summary>Creates the exception.</summary>
    public AmiTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the exception that ended the wait.</summary>
    public AmiTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
