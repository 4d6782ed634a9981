namespace Obelus.Reactive.Client;

/// <summary>How the client proves its identity at login.</summary>
public enum AmiAuthType
{
    /// <summary><c>Login</c> with <c>Username</c> and <c>Secret</c> in clear text.</summary>
    Plain,

    /// <summary>
    /// <c>Challenge</c> (AuthType MD5), then <c>Login</c> with <c>Key</c> = lowercase hex
    /// MD5 of the challenge followed by the secret; the secret never crosses the wire.
    /// </summary>
    Md5,
}
