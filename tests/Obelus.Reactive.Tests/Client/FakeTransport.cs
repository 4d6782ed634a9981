using System.IO.Pipelines;
using System.Reactive.Concurrency;
using System.Threading.Channels;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Tests.Client;

/// <summary>
/// Hands the client a fresh <see cref="FakeAmiServer"/> on every connect (greeting sent at
/// once), or fails the connect when told to; records the virtual time of every attempt.
/// </summary>
internal sealed class FakeTransport : IAmiTransport
{
    private readonly IScheduler _clock;
    private readonly Channel<FakeAmiServer> _servers = Channel.CreateUnbounded<FakeAmiServer>();
    private readonly List<DateTimeOffset> _attempts = [];

    public FakeTransport(IScheduler clock)
    {
        _clock = clock;
    }

    /// <summary>Decides, per attempt number (1-based), whether the connect never completes (until its token is cancelled).</summary>
    public Func<int, bool> Hangs { get; set; } = _ => false;

    /// <summary>Completes when a hanging attempt's token was cancelled (the client gave it up).</summary>
    public TaskCompletionSource HungAttemptCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the number of each attempt that hangs, once it is hanging.</summary>
    public Channel<int> Hanging { get; } = Channel.CreateUnbounded<int>();

    /// <summary>Decides, per attempt number (1-based), whether the connect fails.</summary>
    public Func<int, bool> Fails { get; set; } = _ => false;

    public bool AutoLogin { get; set; } = true;

    public bool AutoPong { get; set; }

    public bool SendBanner { get; set; } = true;

    public IReadOnlyList<DateTimeOffset> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return _attempts.ToList();
            }
        }
    }

    public async ValueTask<IDuplexPipe> ConnectAsync(CancellationToken cancellationToken)
    {
        int attempt;
        lock (_attempts)
        {
            _attempts.Add(_clock.Now);
            attempt = _attempts.Count;
        }

        if (Hangs(attempt))
        {
            // Two signals, because either alone can be lost: the cancelling thread runs the token's
            // callbacks newest first, so the wait's wakes this method on another thread, which may
            // dispose the registration before its callback's turn comes; and this method may
            // resume only after the client has finished disposing.
            using var registration = cancellationToken.Register(() => HungAttemptCancelled.TrySetResult());
            Hanging.Writer.TryWrite(attempt);
            try
            {
                // A connect that never opens: nothing completes this task, only the token ends the wait.
                await new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                HungAttemptCancelled.TrySetResult();
                throw;
            }
        }

        if (Fails(attempt))
        {
            throw new IOException($"connection refused (attempt {attempt})");
        }

        var server = new FakeAmiServer(AutoLogin) { AutoPong = AutoPong };
        if (SendBanner)
        {
            await server.SendBannerAsync();
        }

        _servers.Writer.TryWrite(server);
        return server.ClientPipe;
    }

    public async Task<FakeAmiServer> NextServerAsync() => await _servers.Reader.ReadAsync().AsTask().WaitAsync(FakeAmiServer.Safety);
}
