namespace Obelus.Reactive.Protocol;

/// <summary>One <c>Name: Value</c> line of an AMI message.</summary>
/// <param name="Name">The header name as it appeared on the wire (case preserved).</param>
/// <param name="Value">The header value, without the separating colon and leading blank.</param>
public readonly record struct AmiHeader(string Name, string Value)
{
    /// <inheritdoc />
    public override string ToString() => Name + ": " + Value;
}
