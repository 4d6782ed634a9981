using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Calls;

/// <summary>Call tracking over a bare event stream, for users without a <see cref="CallManager"/> (a capture, another client).</summary>
public static class CallObservableExtensions
{
    /// <summary>
    /// Folds <paramref name="events"/> into calls: every incoming call, and, when
    /// <paramref name="trackingVariable"/> is given, every call whose channels carry that variable
    /// (its value becomes the call id). Each subscription runs its own fold. When the source
    /// completes, live calls end with outcome <see cref="CallOutcome.Lost"/> and the sequence
    /// completes; when it fails, every live call's sequence fails with the same error, then this one.
    /// </summary>
    /// <param name="events">AMI events in wire order.</param>
    /// <param name="trackingVariable">The tracking variable to bind calls by, or null for incoming calls only.</param>
    /// <param name="options">Timeouts; only <see cref="CallManagerOptions.OriginateResponseGrace"/> and friends apply.</param>
    /// <param name="scheduler">Clock for timestamps; the default scheduler when null.</param>
    /// <param name="logger">Where to log; nothing when null.</param>
    /// <exception cref="ArgumentException">The tracking variable does not match <c>^[A-Z][_A-Z0-9]*$</c>.</exception>
    public static IObservable<Call> TrackCalls(
        this IObservable<AmiEvent> events,
        string? trackingVariable = null,
        CallManagerOptions? options = null,
        IScheduler? scheduler = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (trackingVariable is not null && !CallManagerOptions.IsValidVariableName(trackingVariable))
        {
            throw new ArgumentException($"Tracking variable '{trackingVariable}' must match ^[A-Z][_A-Z0-9]*$.", nameof(trackingVariable));
        }

        options ??= CallManagerOptions.Default;
        options.Validate();
        return Observable.Create<Call>(observer =>
        {
            // A name no channel variable can have keeps the fold from binding anything by variable.
            var settings = new CallTrackerSettings(trackingVariable ?? "\0", options.ResponseTimeout, options.BindTimeoutMargin, options.OriginateResponseGrace, AdoptUnknownTrackingValues: true);
            var engine = new CallEngine(settings, scheduler ?? CallDefaults.Scheduler, logger ?? NullLogger.Instance, trackIncoming: true);
            var calls = engine.NewCalls.Subscribe(observer.OnNext);
            var source = events.Subscribe(
                engine.Apply,
                error =>
                {
                    engine.FailAll(error);
                    observer.OnError(error);
                },
                () =>
                {
                    engine.Close("The event stream ended");
                    observer.OnCompleted();
                });
            return new CompositeDisposable(source, calls, Disposable.Create(() => engine.Close("Tracking stopped")));
        });
    }
}
