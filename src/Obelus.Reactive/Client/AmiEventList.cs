using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>The whole answer to an event-list action.</summary>
/// <param name="Response">The opening response (<c>EventList: start</c>).</param>
/// <param name="Items">The list items in wire order (e.g. <c>CoreShowChannel</c>, <c>Status</c>).</param>
/// <param name="Completion">The closing event (<c>EventList: Complete</c>), e.g. <c>CoreShowChannelsComplete</c>.</param>
public sealed record AmiEventList(AmiResponse Response, IReadOnlyList<AmiEvent> Items, AmiEvent Completion);
