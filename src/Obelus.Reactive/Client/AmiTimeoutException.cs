namespace Obelus.Reactive.Client;

/// <summary>No response arrived within the action timeout (measured on the client's scheduler).</summary>
public sealed class AmiTimeoutException : AmiException
{
    /// <summary>Creates the exception.</summary>
    public AmiTimeoutException(string message)
        : base(message)
    {
    }
}
