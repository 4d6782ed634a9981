using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>A list item the read loop must wait to hand over: its streamed list's queue is full.</summary>
internal sealed record BlockedListItem(PendingAction Pending, AmiEvent Item);
