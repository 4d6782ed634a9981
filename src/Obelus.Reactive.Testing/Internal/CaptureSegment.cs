using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>One recorded response and the events that followed it, up to the next response.</summary>
internal sealed class CaptureSegment(AmiResponse response)
{
    public AmiResponse Response { get; } = response;

    public List<AmiMessage> Following { get; } = [];
}
