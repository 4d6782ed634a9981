namespace Obelus.Reactive.Protocol;

/// <summary>A reply to an action (first header <c>Response:</c>).</summary>
public sealed class AmiResponse : AmiMessage
{
    internal AmiResponse(byte[] data, int slotsAt, int count, IReadOnlyList<string>? output)
        : base(data, slotsAt, count, output)
    {
    }

    /// <inheritdoc />
    public override AmiMessageKind Kind => AmiMessageKind.Response;

    /// <summary>
    /// The <c>Response</c> value as sent: <c>Success</c>, <c>Error</c>, <c>Follows</c>,
    /// <c>Goodbye</c>, or anything else a server chooses (kept as-is).
    /// </summary>
    public string Status => ValueAt(0);

    /// <summary>True for <c>Response: Success</c>, <c>Follows</c> and <c>Goodbye</c>.</summary>
    public bool IsSuccess => !IsError;

    /// <summary>True for <c>Response: Error</c> (and the <c>Failure</c> some servers send).</summary>
    public bool IsError => HeaderEquals("Response", "Error") || HeaderEquals("Response", "Failure");

    /// <summary>The <c>Message</c> header, or null.</summary>
    public string? Message => this["Message"];

    /// <summary>True when this response opens an event list (<c>EventList: start</c>).</summary>
    public bool StartsEventList => HeaderEquals("EventList", "start");

    /// <summary>Builds a response from a status and headers (for tests and simulators).</summary>
    public static AmiResponse Create(string status, params IEnumerable<(string Name, string Value)> headers) =>
        (AmiResponse)AmiMessage.Create(AmiEvent.Prepend("Response", status, headers));
}
