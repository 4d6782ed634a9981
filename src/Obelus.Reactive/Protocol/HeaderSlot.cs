namespace Obelus.Reactive.Protocol;

/// <summary>Where one header's name and value sit inside a message's byte buffer.</summary>
internal readonly record struct HeaderSlot(int NameStart, int NameLength, int ValueStart, int ValueLength);
