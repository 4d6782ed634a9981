namespace Obelus.Reactive.Protocol;

/// <summary>An action as a server reads it (first header <c>Action:</c>).</summary>
public sealed class AmiRequest : AmiMessage
{
    internal AmiRequest(byte[] data, int slotsAt, int count, IReadOnlyList<string>? output)
        : base(data, slotsAt, count, output)
    {
    }

    /// <inheritdoc />
    public override AmiMessageKind Kind => AmiMessageKind.Action;

    /// <summary>The action name, e.g. <c>Originate</c>.</summary>
    public string Name => this[0].Value;
}
