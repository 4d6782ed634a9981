using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    /// <summary>
    /// Sends <paramref name="action"/> and completes with its response. An action without an
    /// <c>ActionID</c> is sent with a fresh one each time (the action itself is not changed, so
    /// it may be sent again, or from several threads; the id used is on the response).
    /// Safe to call from many threads and from inside an event handler.
    /// </summary>
    /// <exception cref="AmiActionException">The server answered <c>Response: Error</c>.</exception>
    /// <exception cref="AmiConnectionException">Not connected, or the connection was lost before the response.</exception>
    /// <exception cref="AmiTimeoutException">No response within <see cref="AmiClientOptions.ActionTimeout"/>.</exception>
    /// <exception cref="AmiProtocolException">The response could not be read (a legacy command body without its end marker).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">The client is closed.</exception>
    public Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return SendAsync(action, continuationGauge: null, cancellationToken);
    }

    /// <summary>
    /// <see cref="SendAsync(AmiAction, CancellationToken)"/> for code that continues from the
    /// answer on another thread and then calls <see cref="WorkGauge.ExitContinuation"/> on
    /// <paramref name="continuationGauge"/> (given only with an in-memory simulator in virtual
    /// time): the returned task's completion, a failure to send included, counts as one hand-over.
    /// </summary>
    internal Task<AmiResponse> SendAsync(AmiAction action, WorkGauge? continuationGauge, CancellationToken cancellationToken)
    {
        if (!TryGetSession(action, out var session, out var notConnected))
        {
            continuationGauge?.EnterContinuation();
            return Task.FromException<AmiResponse>(notConnected);
        }

        return SendOnSessionAsync(session, action, _options.ActionTimeout, isList: false, stream: null, cancellationToken, continuationGauge).Response.Task;
    }

    /// <summary>
    /// Runs a CLI command (<c>Action: Command</c>) and returns its output lines, whichever of the
    /// two wire forms the server uses (<c>Output:</c> headers, or the legacy <c>Response: Follows</c> body).
    /// </summary>
    /// <exception cref="AmiActionException">The server refused the command (e.g. an unknown CLI command); the response carries its output.</exception>
    public async Task<IReadOnlyList<string>> CommandAsync(string command, CancellationToken cancellationToken = default)
    {
        var action = new AmiAction("Command").Add("Command", command);
        var response = await SendAsync(action, cancellationToken).ConfigureAwait(false);
        return response.Output;
    }

    /// <summary>The current session, or the exception a send must fail with (as a faulted task, not a throw).</summary>
    private bool TryGetSession(AmiAction action, [NotNullWhen(true)] out AmiSession? session, [NotNullWhen(false)] out Exception? error)
    {
        try
        {
            session = CurrentSessionOrThrow(action);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is AmiConnectionException or ObjectDisposedException)
        {
            session = null;
            error = ex;
            return false;
        }
    }

    private AmiSession CurrentSessionOrThrow(AmiAction action)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        var session = Volatile.Read(ref _session);
        if (session is null || session.IsLost || State.Status != AmiConnectionStatus.Connected)
        {
            throw new AmiConnectionException($"Cannot send AMI action '{action.Name}': the client is {State.Status}, not connected.");
        }

        return session;
    }

    /// <summary>
    /// Registers the pending entry (timeout and cancellation armed) before writing, so a fast
    /// response always finds it, then writes in the background under the session's write lock.
    /// </summary>
    private PendingAction SendOnSessionAsync(AmiSession session, AmiAction action, TimeSpan? timeout, bool isList, System.Threading.Channels.ChannelWriter<AmiEvent>? stream, CancellationToken cancellationToken, WorkGauge? continuationGauge = null)
    {
        // A fresh id per send unless the caller chose one: a retry must not take the late answer
        // to an earlier attempt, and the action object stays as the caller built it.
        var actionId = action.ActionId ?? _options.ActionIdPrefix + Interlocked.Increment(ref _actionCounter).ToString(CultureInfo.InvariantCulture);
        var pending = new PendingAction(actionId, action.Name, session, isList, stream, continuationGauge);
        if (cancellationToken.IsCancellationRequested)
        {
            pending.Cancel(cancellationToken);
            return pending;
        }

        if (!_pending.TryAdd(pending.ActionId, pending))
        {
            pending.Fail(new InvalidOperationException($"An action with ActionID '{pending.ActionId}' is already pending; an ActionID set on an action must be unique among the actions in flight (leave it unset to get a fresh one per send)."));
            return pending;
        }

        if (timeout is { } due)
        {
            pending.Timer = _scheduler.Schedule(pending, due, (_, p) =>
            {
                OnTimeout(p, due);
                return System.Reactive.Disposables.Disposable.Empty;
            });
        }

        if (cancellationToken.CanBeCanceled)
        {
            pending.Cancellation = cancellationToken.Register(
                static (state, token) =>
                {
                    var (client, p) = ((AmiClient, PendingAction))state!;
                    if (client._pending.TryRemove(new KeyValuePair<string, PendingAction>(p.ActionId, p)))
                    {
                        p.Cancel(token);
                    }
                },
                (this, pending));
        }

        if (session.IsLost)
        {
            // Lost while this was being registered: make sure the state says so, then fail it.
            OnSessionLost(session, new AmiConnectionException($"Cannot send AMI action '{action.Name}': the connection was lost."));
            return pending;
        }

        _ = WriteAsync(session, action, pending);
        if (continuationGauge is null)
        {
            // A counted send settles once its continuation is in place (the caller's job).
            Volatile.Read(ref _gauge)?.SettleAfterWrite();
        }

        return pending;
    }

    private async Task WriteAsync(AmiSession session, AmiAction action, PendingAction pending)
    {
        try
        {
            await session.WriteLock.WaitAsync(session.Closing).ConfigureAwait(false);
            try
            {
                if (!_pending.TryGetValue(pending.ActionId, out var current) || current != pending)
                {
                    return; // Cancelled or timed out while waiting for the lock: never reaches the wire.
                }

                AmiWriter.WriteAction(action, pending.ActionId, session.Pipe.Output);
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    // ToString builds the redacted text of the whole action: only when it is logged.
                    AmiClientLog.ActionSent(_logger, pending.ActionId, action.ToString());
                }
                await session.Pipe.Output.FlushAsync(session.Closing).ConfigureAwait(false);
            }
            finally
            {
                session.WriteLock.Release();
            }
        }
        catch (ArgumentException ex)
        {
            Complete(pending, ex);
        }
        catch (Exception ex)
        {
            // The loss first, so the state has left Connected (and its subscribers know) before this action fails.
            var error = new AmiConnectionException($"Could not write AMI action '{action.Name}': the connection is closing or failed.", ex);
            OnSessionLost(session, error);
            AfterStates(() => Complete(pending, error));
        }
    }

    private void OnTimeout(PendingAction pending, TimeSpan due)
    {
        var doing = pending.ListResponse is null ? "waiting for its response" : $"waiting for the rest of its event list ({pending.ItemCount} item(s) so far)";
        Complete(pending, new AmiTimeoutException(string.Create(
            CultureInfo.InvariantCulture,
            $"AMI action '{pending.ActionName}' (ActionID {pending.ActionId}) got no answer within {due} while {doing}; {Describe(pending.Session)}.")));
    }

    /// <summary>A list item arrived: the list gets another full timeout.</summary>
    private void RearmTimeout(PendingAction pending)
    {
        pending.Timer?.Dispose();
        var due = _options.ActionTimeout;
        pending.Timer = _scheduler.Schedule(pending, due, (_, p) =>
        {
            OnTimeout(p, due);
            return System.Reactive.Disposables.Disposable.Empty;
        });
    }

    private void Complete(PendingAction pending, Exception error)
    {
        if (_pending.TryRemove(new KeyValuePair<string, PendingAction>(pending.ActionId, pending)))
        {
            pending.Fail(error);
        }
    }

    /// <summary>Fails every action sent on <paramref name="session"/> (all of them when null).</summary>
    private void FailPending(AmiSession? session, Exception error)
    {
        foreach (var entry in _pending)
        {
            if (session is null || entry.Value.Session == session)
            {
                Complete(entry.Value, error);
            }
        }
    }
}
