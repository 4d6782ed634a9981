using System.Reactive.Concurrency;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    private readonly CancellationTokenSource _closing = new();
    private Task? _closeTask;
    private AmiSession? _connecting;
    private Task _opening = Task.CompletedTask;

    /// <summary>True once the client started closing (disposal, Logoff, reconnecting given up).</summary>
    private bool IsClosed => Volatile.Read(ref _closeTask) is not null;

    /// <summary>
    /// Publishes <see cref="AmiConnectionStatus.Closing"/>, sends <c>Logoff</c> when connected
    /// (waiting at most the action timeout), closes the transport, fails pending actions with
    /// <see cref="AmiConnectionException"/>, publishes <see cref="AmiConnectionStatus.Closed"/>,
    /// then completes <see cref="States"/> and, once the buffered events are delivered,
    /// <see cref="Events"/>. Waits for that delivery at most <see cref="AmiClientOptions.DisposeTimeout"/>;
    /// a subscriber still behind then loses the rest of its queue (counted in
    /// <see cref="EventsDropped"/> and logged). Idempotent. Called from an event handler it does
    /// not wait for that delivery (which would wait for the handler itself).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var onDispatcher = OnDispatcher;
        await CloseAsync(reason: null, logoff: true).ConfigureAwait(false);
        if (!onDispatcher)
        {
            await WaitForSubscribersAsync().ConfigureAwait(false);
            LeaveGauge();
        }
    }

    /// <summary>Observation point for tests: disposal has closed the client and waits for the subscribers (its timer is armed).</summary>
    internal Action? DisposeWaiting { get; set; }

    /// <summary>
    /// Waits for every subscriber to be delivered its queue, at most <see cref="AmiClientOptions.DisposeTimeout"/>
    /// (on the scheduler); then the queues of those still behind are dropped, counted and logged,
    /// and each is completed once its handler returns, in the background.
    /// </summary>
    private async Task WaitForSubscribersAsync()
    {
        if (_dispatcher.IsCompleted)
        {
            await _dispatcher.ConfigureAwait(false);
            return;
        }

        var timedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Not settled first: this timer exists to give up on a subscriber that does not finish.
        using (_scheduler.Inner.Schedule(_options.DisposeTimeout, () => timedOut.TrySetResult()))
        {
            DisposeWaiting?.Invoke();
            if (await Task.WhenAny(_dispatcher, timedOut.Task).ConfigureAwait(false) == _dispatcher)
            {
                await _dispatcher.ConfigureAwait(false);
                return;
            }
        }

        AbandonSlowSubscribers();
    }

    private Task CloseAsync(Exception? reason, bool logoff)
    {
        try
        {
            lock (_gate)
            {
                if (_closeTask is not null)
                {
                    return _closeTask;
                }

                var session = _session;
                _session = null;
                _reconnectTimer.Dispose();
                _keepAlive.Dispose();

                // Ends a connection attempt in progress (TCP connect, TLS handshake, banner, login).
                _closing.Cancel();

                // The close task is known before Closing is published, so a States subscriber that
                // disposes the client in reaction gets this close instead of starting another.
                var start = new Task<Task>(() => CloseCoreAsync(session, reason, logoff));
                var close = start.Unwrap();
                Volatile.Write(ref _closeTask, close);
                SetState(NewState(AmiConnectionStatus.Closing, reason));
                start.Start(TaskScheduler.Default);
                return close;
            }
        }
        finally
        {
            // Subscribers hear of the change only now, with the lock released.
            FlushStates();
        }
    }

    private async Task CloseCoreAsync(AmiSession? session, Exception? reason, bool logoff)
    {
        // Pending actions fail first, with why, rather than with whatever the Logoff provokes.
        var closed = new AmiConnectionException(reason is null ? "The AMI client was disposed." : "The AMI client closed.", reason);
        FailPending(null, closed);

        // A connection still logging in (e.g. a reconnect attempt) is abandoned, not waited for.
        Volatile.Read(ref _connecting)?.MarkLost();
        try
        {
            await Volatile.Read(ref _opening).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The attempt reports its own failure; here only its end matters (its socket is closed).
        }

        if (session is not null)
        {
            if (logoff && !session.IsLost)
            {
                try
                {
                    await SendOnSessionAsync(session, new AmiAction("Logoff"), _options.ActionTimeout, isList: false, stream: null, CancellationToken.None)
                        .Response.Task.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    AmiClientLog.LogoffFailed(_logger, ex);
                }
            }

            session.MarkLost();
            await session.DisposeAsync().ConfigureAwait(false);
        }

        FailPending(null, closed);
        if (reason is not null)
        {
            AmiClientLog.ClosedWithError(_logger, reason);
        }

        SetState(NewState(AmiConnectionStatus.Closed, reason));
        CompleteStates();
        CompleteEventSubscribers();
        _dispatch.Writer.TryComplete();
    }
}
