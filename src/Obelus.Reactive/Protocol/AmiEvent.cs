namespace Obelus.Reactive.Protocol;

/// <summary>An AMI event (first header <c>Event:</c>).</summary>
public sealed class AmiEvent : AmiMessage
{
    internal AmiEvent(byte[] data, int slotsAt, int count, IReadOnlyList<string>? output)
        : base(data, slotsAt, count, output)
    {
    }

    /// <inheritdoc />
    public override AmiMessageKind Kind => AmiMessageKind.Event;

    /// <summary>The event name, e.g. <c>Newchannel</c>.</summary>
    public string Name => ValueAt(0);

    /// <summary>The event name's bytes as received (no string made).</summary>
    internal ReadOnlySpan<byte> NameBytes => ValueBytesAt(0);

    /// <summary>True when the event name equals <paramref name="name"/> ignoring ASCII case (no allocation).</summary>
    public bool Is(string name) => HeaderEquals("Event", name);

    /// <summary>Builds an event from a name and headers (for tests and simulators).</summary>
    public static AmiEvent Create(string name, params IEnumerable<(string Name, string Value)> headers) =>
        (AmiEvent)AmiMessage.Create(Prepend("Event", name, headers));

    internal static IEnumerable<AmiHeader> Prepend(string first, string value, IEnumerable<(string Name, string Value)> headers)
    {
        yield return new AmiHeader(first, value);
        foreach (var (n, v) in headers)
        {
            yield return new AmiHeader(n, v);
        }
    }
}
