using System.Globalization;
using System.Reactive.Concurrency;
using System.Security.Cryptography;
using System.Text;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

public sealed partial class AmiClient
{
    /// <summary>
    /// Opens the transport, reads the banner and logs in. A failure here is thrown to the caller
    /// (the state goes back to Disconnected and the call may be repeated); the reconnect policy
    /// only applies to connections lost after a successful login.
    /// </summary>
    /// <exception cref="AmiAuthenticationException">The server refused the login.</exception>
    /// <exception cref="AmiConnectionException">The transport failed or closed during the handshake.</exception>
    /// <exception cref="AmiTimeoutException">The transport did not open within <see cref="AmiClientOptions.ConnectTimeout"/>, or the banner or a login step did not arrive within the action timeout.</exception>
    /// <exception cref="InvalidOperationException">Already connected or connecting.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        try
        {
            lock (_gate)
            {
                if (State.Status is AmiConnectionStatus.Connecting or AmiConnectionStatus.Connected or AmiConnectionStatus.Reconnecting)
                {
                    throw new InvalidOperationException($"The client is already {State.Status}.");
                }

                SetState(NewState(AmiConnectionStatus.Connecting));
            }
        }
        finally
        {
            // Subscribers hear of the change only now, with the lock released.
            FlushStates();
        }

        try
        {
            await OpenSessionAsync(attempt: 0, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!IsClosed)
            {
                SetState(NewState(AmiConnectionStatus.Disconnected, ex));
            }

            throw;
        }
    }

    /// <summary>
    /// One connection attempt, cancelled by <paramref name="cancellationToken"/> or by closing the
    /// client; closing waits for it to end, so no socket outlives the client.
    /// </summary>
    private async Task OpenSessionAsync(int attempt, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var opening = OpenSessionCoreAsync(attempt, linked.Token);
        Volatile.Write(ref _opening, opening);
        try
        {
            await opening.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AmiConnectionException("The AMI client was closed while connecting.", ex);
        }
    }

    /// <summary>Connects, reads the banner, logs in and makes the session current.</summary>
    private async Task OpenSessionCoreAsync(int attempt, CancellationToken cancellationToken)
    {
        var pipe = await ConnectTransportAsync(cancellationToken).ConfigureAwait(false);
        FollowGauge(pipe);
        var session = new AmiSession(Interlocked.Increment(ref _sessionCount), pipe, _options.ReaderOptions) { Attempt = attempt };
        session.ReadLoop = Task.Run(() => ReadLoopAsync(session), CancellationToken.None);
        Interlocked.Exchange(ref _connecting, session);
        try
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            var banner = await WaitAsync(session.Banner, session, "waiting for the AMI banner", cancellationToken).ConfigureAwait(false);
            Banner = banner;
            await LoginAsync(session, cancellationToken).ConfigureAwait(false);
            try
            {
                lock (_gate)
                {
                    ObjectDisposedException.ThrowIf(IsClosed, this);
                    if (session.IsLost)
                    {
                        throw new AmiConnectionException("The connection was lost right after login.");
                    }

                    // Current and Connected in one step, so a loss racing with this sees one or the other.
                    // The keep-alive timer is armed before anyone hears of Connected.
                    session.LoggedIn = true;
                    session.ConnectedAt = _scheduler.Now;
                    _session = session;
                    StartKeepAlive(session);
                    AmiClientLog.Connected(_logger, LogText.Clean(banner.ToString()), _options.Username);
                    SetState(NewState(AmiConnectionStatus.Connected));
                }
            }
            finally
            {
                // Subscribers hear of the change only now, with the lock released.
                FlushStates();
            }
        }
        catch
        {
            FailPending(session, new AmiConnectionException("The connection attempt failed."));
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            Interlocked.CompareExchange(ref _connecting, null, session);
        }
    }

    /// <summary>
    /// Opens the transport within <see cref="AmiClientOptions.ConnectTimeout"/> (on the scheduler).
    /// The transport is told to stop through its token; one that ignores it is abandoned, and the
    /// pipe it yields later is closed at once.
    /// </summary>
    private async Task<System.IO.Pipelines.IDuplexPipe> ConnectTransportAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timedOut = 0;
        using var timer = _scheduler.Schedule(_options.ConnectTimeout, () =>
        {
            Volatile.Write(ref timedOut, 1);
            try
            {
                limit.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt ended as the timer fired.
            }
        });

        Task<System.IO.Pipelines.IDuplexPipe> connecting;
        try
        {
            connecting = _transport.ConnectAsync(limit.Token).AsTask();
        }
        catch (Exception ex)
        {
            connecting = Task.FromException<System.IO.Pipelines.IDuplexPipe>(ex);
        }

        try
        {
            return await connecting.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CloseWhenOpened(connecting);
            if (Volatile.Read(ref timedOut) != 0 && !cancellationToken.IsCancellationRequested)
            {
                throw new AmiTimeoutException(
                    string.Create(CultureInfo.InvariantCulture, $"Could not open the connection to the AMI server ({_transport}) within the connect timeout of {_options.ConnectTimeout}."),
                    ex);
            }

            if (ex is OperationCanceledException or AmiException)
            {
                throw;
            }

            throw new AmiConnectionException($"Could not connect to the AMI server ({_transport}): {ex.Message}", ex);
        }
    }

    /// <summary>A transport that opens after its attempt was given up: close what it yields.</summary>
    private static void CloseWhenOpened(Task<System.IO.Pipelines.IDuplexPipe> connecting) =>
        _ = connecting.ContinueWith(
            static async t =>
            {
                var pipe = t.Result;
                try
                {
                    await pipe.Input.CompleteAsync().ConfigureAwait(false);
                    await pipe.Output.CompleteAsync().ConfigureAwait(false);
                    switch (pipe)
                    {
                        case IAsyncDisposable asyncDisposable:
                            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                            break;
                        case IDisposable disposable:
                            disposable.Dispose();
                            break;
                    }
                }
                catch (Exception)
                {
                    // Nobody waits for this connection any more; closing it is all that was wanted.
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private async Task LoginAsync(AmiSession session, CancellationToken cancellationToken)
    {
        var login = new AmiAction("Login");
        if (_options.AuthType == AmiAuthType.Md5)
        {
            var challengeAction = new AmiAction("Challenge").Add("AuthType", "MD5");
            var challenge = await SendLoginStepAsync(session, challengeAction, cancellationToken).ConfigureAwait(false);
            var nonce = challenge["Challenge"] ?? throw new AmiAuthenticationException(
                $"AMI login for user '{_options.Username}' failed: the Challenge response has no Challenge header.");
            login.Add("AuthType", "MD5").Add("Username", _options.Username).Add("Key", Md5Key(nonce, _options.Secret));
        }
        else
        {
            login.Add("Username", _options.Username).Add("Secret", _options.Secret);
        }

        login.Add("Events", _options.LoginEventMask);
        await SendLoginStepAsync(session, login, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AmiResponse> SendLoginStepAsync(AmiSession session, AmiAction action, CancellationToken cancellationToken)
    {
        try
        {
            return await SendOnSessionAsync(session, action, _options.ActionTimeout, isList: false, stream: null, cancellationToken).Response.Task.ConfigureAwait(false);
        }
        catch (AmiActionException ex)
        {
            var serverMessage = ex.Response.Message;
            throw new AmiAuthenticationException(
                $"AMI login refused for user '{_options.Username}' ({action.Name}): {LogText.Clean(serverMessage) ?? "(no message)"}", serverMessage);
        }
    }

    /// <summary>The MD5 login key: lowercase hex of MD5(challenge + secret).</summary>
    internal static string Md5Key(string challenge, string secret)
    {
#pragma warning disable CA5351 // MD5 is what the AMI challenge protocol specifies; it is not our choice of hash.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(challenge + secret));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Awaits <paramref name="task"/> with the action timeout on the scheduler, naming <paramref name="doing"/> on timeout.</summary>
    private async Task<T> WaitAsync<T>(Task<T> task, AmiSession session, string doing, CancellationToken cancellationToken)
    {
        var timedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = _scheduler.Schedule(_options.ActionTimeout, () => timedOut.TrySetResult());
        var winner = await Task.WhenAny(task, timedOut.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (winner == task)
        {
            return await task.ConfigureAwait(false);
        }

        throw new AmiTimeoutException(string.Create(
            CultureInfo.InvariantCulture,
            $"No answer within {_options.ActionTimeout} while {doing} ({Describe(session)})."));
    }
}
