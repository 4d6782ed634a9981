using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    private readonly SerialDisposable _reconnectTimer = new();
    private Task _teardown = Task.CompletedTask;

    /// <summary>Jitter source in [0, 1); replaceable so tests get exact backoff delays.</summary>
    internal Func<double> JitterSample { get; set; } = Random.Shared.NextDouble;

    /// <summary>
    /// A session ended (EOF, read or write failure, keep-alive death, Logoff). Runs once per
    /// session: tears it down, fails its pending actions, then reconnects, closes, or waits.
    /// </summary>
    private void OnSessionLost(AmiSession session, AmiConnectionException reason)
    {
        session.MarkLost(reason);
        reason = session.LossReason ?? reason;
        try
        {
            LeaveSession(session, reason);
        }
        finally
        {
            // After the state says so: whoever sees an action fail for the loss finds the client
            // no longer Connected.
            FailPending(session, reason);
        }
    }

    private void LeaveSession(AmiSession session, AmiConnectionException reason)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_session, session))
            {
                // Still logging in (the connect path reports it), already handled, or closing.
                return;
            }

            _session = null;
            _keepAlive.Disposable = null;
            _teardown = session.DisposeAsync().AsTask();
            AmiClientLog.ConnectionLost(_logger, reason);
            if (session.LoggedOff)
            {
                _ = CloseAsync(reason, logoff: false);
                return;
            }

            SetState(NewState(AmiConnectionStatus.Disconnected, reason));
            if (_options.Reconnect is { } policy)
            {
                // Only a session that stayed up starts the backoff afresh; one dropped right after
                // login goes on from the attempt that opened it.
                var stable = _scheduler.Now - session.ConnectedAt >= policy.StableAfter;
                ScheduleReconnect(stable ? 1 : session.Attempt + 1, reason);
            }
        }
    }

    private void ScheduleReconnect(int attempt, Exception lastError)
    {
        var policy = _options.Reconnect!;
        if (policy.MaxAttempts is { } max && attempt > max)
        {
            _ = CloseAsync(new AmiConnectionException($"Gave up reconnecting after {max} attempt(s).", lastError), logoff: false);
            return;
        }

        var delay = policy.GetDelay(attempt, JitterSample());
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }

            // Timer first: whoever reacts to the Reconnecting state (a test advancing virtual
            // time, say) finds the attempt already scheduled. The callback takes the gate, so it
            // cannot overtake the state published here.
            _reconnectTimer.Disposable = _scheduler.Schedule(attempt, delay, (scheduler, a) =>
            {
                _ = ReconnectAsync(a);
                return Disposable.Empty;
            });
            AmiClientLog.ReconnectScheduled(_logger, attempt, delay);
            SetState(NewState(AmiConnectionStatus.Reconnecting, lastError, attempt, delay));
        }
    }

    private async Task ReconnectAsync(int attempt)
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }

            SetState(NewState(AmiConnectionStatus.Connecting, attempt: attempt));
        }

        try
        {
            // One read loop at a time: the old one has stopped before the new one starts.
            await _teardown.ConfigureAwait(false);
            await OpenSessionAsync(attempt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmiAuthenticationException ex)
        {
            // Credentials that were refused will be refused again: stop instead of hammering the server.
            AmiClientLog.ReconnectFailed(_logger, attempt, ex);
            await CloseAsync(ex, logoff: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsClosed)
        {
            AmiClientLog.ReconnectFailed(_logger, attempt, ex);
            ScheduleReconnect(attempt + 1, ex);
        }
        catch (Exception)
        {
            // Closed while reconnecting: nothing left to do.
        }
    }
}
