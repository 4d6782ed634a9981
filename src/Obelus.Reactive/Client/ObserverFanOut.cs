using System.Collections.Immutable;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Client;

/// <summary>
/// Hands each value to every current observer, each call fenced on its own: an observer that
/// throws is logged and (through the auto-detach of <see cref="Observable.Create{TResult}(Func{IObserver{TResult}, IDisposable})"/>)
/// unsubscribed, and the others still get the value. A subject would stop at the first throw.
/// </summary>
/// <remarks>Callers serialise <see cref="OnNext"/> and <see cref="OnCompleted"/>.</remarks>
internal sealed class ObserverFanOut<T>
{
    private readonly Lock _gate = new();
    private readonly Action<ILogger, Exception> _logThrow;
    private readonly ILogger _logger;
    private ImmutableArray<IObserver<T>> _observers = [];
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

                _observers = _observers.Add(observer);
            }

            return System.Reactive.Disposables.Disposable.Create(() =>
            {
                lock (_gate)
                {
                    _observers = _observers.Remove(observer);
                }
            });
        });
    }

    /// <summary>Runs <paramref name="update"/> and publishes under the subscription gate, so a new subscriber sees either the old value then the new one, or only the new one.</summary>
    public void Publish(Action update, T value)
    {
        ImmutableArray<IObserver<T>> observers;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            update();
            observers = _observers;
        }

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

    public void OnNext(T value) => Publish(static () => { }, value);

    public void OnCompleted()
    {
        ImmutableArray<IObserver<T>> observers;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            observers = _observers;
            _observers = [];
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
}
