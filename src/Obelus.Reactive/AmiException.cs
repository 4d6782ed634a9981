namespace Obelus.Reactive;

/// <summary>Base type of every exception the library throws for AMI-level failures.</summary>
public abstract class AmiException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    protected AmiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    protected AmiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
