namespace Obelus.Reactive.Client;

/// <summary>Placeholder until the client lands.</summary>
internal sealed class AmiClient
{
}
