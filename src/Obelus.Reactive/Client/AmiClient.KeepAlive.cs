using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    private readonly SerialDisposable _keepAlive = new();

    /// <summary>Arms the next keep-alive Ping of a logged-in session (never before login).</summary>
    private void StartKeepAlive(AmiSession session)
    {
        if (_options.KeepAliveInterval is not { } interval || session.IsLost || IsClosed)
        {
            return;
        }

        _keepAlive.Disposable = _scheduler.Schedule(session, interval, (_, s) =>
        {
            SendKeepAlive(s);
            return Disposable.Empty;
        });
    }

    private void SendKeepAlive(AmiSession session)
    {
        if (session.IsLost || !ReferenceEquals(Volatile.Read(ref _session), session))
        {
            return;
        }

        // No action timeout here: the dedicated check below knows about backpressure.
        var ping = SendOnSessionAsync(session, new AmiAction("Ping"), timeout: null, isList: false, stream: null, CancellationToken.None);
        var answered = ping.Response.Task;
        _keepAlive.Disposable = _scheduler.Schedule(_options.KeepAliveTimeout, () => CheckKeepAlive(session, ping));
        _ = answered.ContinueWith(
            task =>
            {
                // An Error response still proves the server is alive; a lost connection is handled elsewhere.
                if (task.IsCompletedSuccessfully || task.Exception?.InnerException is AmiActionException)
                {
                    StartKeepAlive(session);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void CheckKeepAlive(AmiSession session, PendingAction ping)
    {
        if (ping.Response.Task.IsCompleted || session.IsLost)
        {
            return;
        }

        if (session.WaitingForEventBuffer)
        {
            // The answer is probably sitting unread behind events a slow subscriber has not taken yet.
            AmiClientLog.KeepAliveBackpressure(_logger, _options.KeepAliveTimeout);
            _keepAlive.Disposable = _scheduler.Schedule(_options.KeepAliveTimeout, () => CheckKeepAlive(session, ping));
            return;
        }

        var error = new AmiConnectionException(string.Create(
            CultureInfo.InvariantCulture,
            $"Keep-alive Ping (ActionID {ping.ActionId}) got no answer within {_options.KeepAliveTimeout}; the connection is considered dead ({Describe(session)})."));
        OnSessionLost(session, error);
    }
}
