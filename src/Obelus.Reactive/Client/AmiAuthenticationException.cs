namespace Obelus.Reactive.Client;

/// <summary>The server refused the login. The message names the user, never the secret.</summary>
public sealed class AmiAuthenticationException : AmiException
{
    /// <summary>Creates the exception.</summary>
    public AmiAuthenticationException(string message, string? serverMessage = null)
        : base(message)
    {
        ServerMessage = serverMessage;
    }

    /// <summary>The <c>Message</c> header of the refusal, e.g. <c>Authentication failed</c>.</summary>
    public string? ServerMessage { get; }
}
