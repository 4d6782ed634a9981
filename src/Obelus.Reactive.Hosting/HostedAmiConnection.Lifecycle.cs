using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Obelus.Reactive.Client;
using Obelus.Reactive.Hosting.Lifecycle;

namespace Obelus.Reactive.Hosting;

public sealed partial class HostedAmiConnection
{
    private readonly SerialDisposable _startupRetry = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _started;
    private int _startupRetrying;
    private int _loggedIn;

    /// <summary>True once the host started the connection (whether or not it logged in).</summary>
    internal bool Started => Volatile.Read(ref _started) != 0;

    /// <summary>True while a failed first connection waits for, or makes, another attempt.</summary>
    internal bool RetryingStartup => Volatile.Read(ref _startupRetrying) != 0;

    /// <summary>True once a login succeeded (from then on the client's reconnect policy applies).</summary>
    internal bool LoggedInOnce => Volatile.Read(ref _loggedIn) != 0;

    /// <summary>Jitter source in [0, 1) for start-up retries; replaceable so tests get exact delays.</summary>
    internal Func<double> JitterSample { get; set; } = Random.Shared.NextDouble;

    /// <summary>
    /// Connects and logs in. When that fails: throws (the host does not start) if the settings
    /// require the connection at start-up; otherwise logs, and retries with the reconnect policy.
    /// </summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _started, 1);
        HostingLog.Starting(_logger, DisplayName, Options.ToString());

        try
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmiException && !Options.RequireConnectionAtStartup)
        {
            ScheduleStartupRetry(1, ex);
        }
        catch (Exception ex) when (ex is AmiException)
        {
            throw new AmiConnectionException(
                string.Create(CultureInfo.InvariantCulture, $"AMI connection '{DisplayName}' to {Options.Host}:{Options.Port} as '{Options.Username}' failed at start-up: {ex.Message} (set RequireConnectionAtStartup to false to start without it)."),
                ex);
        }
    }

    /// <summary>Disposes (start-up retries stopped, Logoff, close), giving up waiting when <paramref name="cancellationToken"/> fires.</summary>
    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            HostingLog.Stopped(_logger, DisplayName);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HostingLog.StopTimedOut(_logger, DisplayName);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await Client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _loggedIn, 1);
        HostingLog.Started(_logger, DisplayName);
        if (Options.SetupFilters)
        {
            try
            {
                await Calls.SetupFiltersAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (AmiException ex)
            {
                HostingLog.FiltersFailed(_logger, DisplayName, ex);
            }
        }
    }

    private void ScheduleStartupRetry(int attempt, Exception error)
    {
        var policy = Options.Reconnect?.ToPolicy();
        string? why = error is AmiAuthenticationException ? "the login was refused"
            : policy is null ? "reconnecting is off"
            : policy.MaxAttempts is { } max && attempt > max ? string.Create(CultureInfo.InvariantCulture, $"{max} attempt(s) made")
            : null;
        if (why is not null || _stopping.IsCancellationRequested)
        {
            Volatile.Write(ref _startupRetrying, 0);
            HostingLog.StartupGivenUp(_logger, DisplayName, why ?? "the host is stopping", error);
            return;
        }

        var delay = policy!.GetDelay(attempt, JitterSample());
        Volatile.Write(ref _startupRetrying, 1);
        HostingLog.StartupRetryScheduled(_logger, DisplayName, attempt, delay, error);

        // Timer first, then the count: whoever sees the reconnect counted finds the attempt scheduled.
        _startupRetry.Disposable = Scheduler.Schedule(attempt, delay, (scheduler, a) =>
        {
            _ = RetryStartupAsync(a);
            return Disposable.Empty;
        });
        _metrics.Reconnect(this);
    }

    private async Task RetryStartupAsync(int attempt)
    {
        try
        {
            await ConnectAsync(_stopping.Token).ConfigureAwait(false);
            Volatile.Write(ref _startupRetrying, 0);
        }
        catch (Exception ex) when (ex is AmiException or InvalidOperationException)
        {
            ScheduleStartupRetry(attempt + 1, ex);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The host is stopping.
            Volatile.Write(ref _startupRetrying, 0);
        }
    }

    private void StopStartupRetries()
    {
        _startupRetry.Dispose();
        Volatile.Write(ref _startupRetrying, 0);
    }
}
