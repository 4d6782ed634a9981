using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// A connection that tells an event subscriber when its own stream has a gap: the events its
/// buffering policy dropped for it. The call layer uses it to re-synchronise instead of trusting
/// a fold that missed events.
/// </summary>
internal interface IEventGapSource
{
    /// <summary>
    /// Subscribes to the events like <see cref="IAmiConnection.Events"/>; <paramref name="onGap"/>
    /// gets the number of events this subscription lost, on its delivery thread, before the first
    /// event that follows them.
    /// </summary>
    IDisposable SubscribeEvents(IObserver<AmiEvent> observer, Action<long> onGap);
}
