using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>The server answered an action with <c>Response: Error</c>.</summary>
public sealed class AmiActionException : AmiException
{
    /// <summary>Creates the exception for <paramref name="actionName"/> and its error response.</summary>
    public AmiActionException(string actionName, AmiResponse response)
        : base($"AMI action '{actionName}' failed: {LogText.Clean(response?.Message) ?? "(no message)"}")
    {
        ArgumentNullException.ThrowIfNull(response);
        ActionName = actionName;
        Response = response;
    }

    /// <summary>The action that failed.</summary>
    public string ActionName { get; }

    /// <summary>The whole error response.</summary>
    public AmiResponse Response { get; }
}
