namespace Obelus.Reactive.Calls;

/// <summary>Which thread calls the observers of <see cref="Call.States"/>, <see cref="CallManager.IncomingCalls"/> and <see cref="CallManager.Calls"/>.</summary>
public enum CallObserverThreading
{
    /// <summary>
    /// Each observer on its own lane of the thread pool, in order: a slow observer delays only
    /// itself, never the fold, the other calls or the call timeouts. Its queue is bounded by
    /// <see cref="CallManagerOptions.MaxQueuedPerObserver"/>.
    /// </summary>
    PerObserver,

    /// <summary>
    /// On the thread that folds the events (usually the client's event thread), before the next
    /// event is folded: what a hand-driven unit test expects, but a slow observer holds up the
    /// whole manager, and through it the client's event buffer.
    /// </summary>
    Inline,
}
