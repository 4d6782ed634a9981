using System.Reactive.Linq;
using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Client;

/// <summary>
/// Hands each value to every current observer, each call fenced on its own: an observer that
/// throws is logged and (through the auto-detach of <see cref="Observable.Create{TResult}(Func{IObserver{TResult}, IDisposable})"/>)
/// unsubscribed, and the others still get the value. A subject would stop at the first throw.
/// </summary>
/// <remarks>
/// Callers serialise <see cref="OnNext"/> and <see cref="OnCompleted"/>. Subscribing swaps in a
/// new observer array under the gate; <see cref="OnNext"/> (the per-event path) only reads the
/// current array, so delivering an event takes no lock.
/// </remarks>
internal sealed class ObserverFanOut<T>
{
    private readonly Lock _gate = new();
    private readonly Action<ILogger, Exception> _logThrow;
    private readonly ILogger _logger;
    private IObserver<T>[] _observers = [];
    private bool _completed;
    private Func<T>? _replay;

    public ObserverFanOut(ILogger logger, Action<ILogger, Exception> logThrow)
    {
        _logger = logger;
        _logThrow = logThrow;
    }

    /// <summary>The shared observable; with <paramref name="replayCurrent"/>, a new subscriber first gets that value.</summary>
    public IObservable<T> AsObservable(Func<T>? replayCurrent = null)
    {
        _replay = replayCurrent;
        return Observable.Create<T>(observer =>
        {
            lock (_gate)
            {
                if (_completed)
                {
                    if (_replay is not null)
                    {
                        observer.OnNext(_replay());
                    }

                    observer.OnCompleted();
                    return System.Reactive.Disposables.Disposable.Empty;
                }

                if (_replay is not null)
                {
                    observer.OnNext(_replay());
                }

                Volatile.Write(ref _observers, [.. _observers, observer]);
            }

            return System.Reactive.Disposables.Disposable.Create(() =>
            {
                lock (_gate)
                {
                    var index = Array.IndexOf(_observers, observer);
                    if (index >= 0)
                    {
                        Volatile.Write(ref _observers, [.. _observers.AsSpan(0, index), .. _observers.AsSpan(index + 1)]);
                    }
                }
            });
        });
    }

    /// <summary>Runs <paramref name="update"/> and publishes under the subscription gate, so a new subscriber sees either the old value then the new one, or only the new one.</summary>
    public void Publish(Action update, T value)
    {
        IObserver<T>[] observers;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            update();
            observers = _observers;
        }

        Deliver(observers, value);
    }

    /// <summary>Hands <paramref name="value"/> to the observers subscribed now; no lock (see remarks).</summary>
    public void OnNext(T value)
    {
        if (!Volatile.Read(ref _completed))
        {
            Deliver(Volatile.Read(ref _observers), value);
        }
    }

    public void OnCompleted()
    {
        IObserver<T>[] observers;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            Volatile.Write(ref _completed, true);
            observers = _observers;
            Volatile.Write(ref _observers, []);
        }

        foreach (var observer in observers)
        {
            try
            {
                observer.OnCompleted();
            }
            catch (Exception ex)
            {
                _logThrow(_logger, ex);
            }
        }
    }

    private void Deliver(IObserver<T>[] observers, T value)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnNext(value);
            }
            catch (Exception ex)
            {
                _logThrow(_logger, ex);
            }
        }
    }
}
