using System.Text;
using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Client;

/// <summary>
/// Everything an <see cref="AmiClient"/> needs to connect and every limit it applies.
/// <see cref="ToString"/> never shows <see cref="Secret"/>.
/// </summary>
public sealed record AmiClientOptions
{
    /// <summary>Server host name or address, used by the default TCP transport.</summary>
    public required string Host { get; init; }

    /// <summary>Server port (default 5038).</summary>
    public int Port { get; init; } = 5038;

    /// <summary>AMI user (a section of manager.conf).</summary>
    public required string Username { get; init; }

    /// <summary>The user's secret. Never logged, shown or put in an exception message.</summary>
    public required string Secret { get; init; }

    /// <summary>Plain or MD5 challenge login (default plain).</summary>
    public AmiAuthType AuthType { get; init; } = AmiAuthType.Plain;

    /// <summary>
    /// The <c>Events</c> header of the login: <c>on</c> (default), <c>off</c>, or a class list
    /// such as <c>call,system</c>.
    /// </summary>
    public string LoginEventMask { get; init; } = "on";

    /// <summary>
    /// How long opening the transport may take: the TCP connect and, over TLS, the handshake
    /// (default 10 s, on the client's scheduler). A transport still opening after that is
    /// abandoned (and closed if it opens later); the attempt fails with <see cref="AmiTimeoutException"/>.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an action (and the banner, and each step of a login) may wait for its answer (default 10 s).</summary>
    public TimeSpan ActionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time after which a <c>Ping</c> is sent once logged in (default 20 s); null disables keep-alive.</summary>
    public TimeSpan? KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a keep-alive <c>Ping</c> may go unanswered before the connection is considered dead (default 10 s).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect after losing a logged-in connection; null (default) never reconnects.</summary>
    public AmiReconnectPolicy? Reconnect { get; init; }

    /// <summary>Parser limits (line length, header count, message size).</summary>
    public AmiReaderOptions ReaderOptions { get; init; } = AmiReaderOptions.Default;

    /// <summary>
    /// Events buffered between the read loop and each <see cref="AmiClient.Events"/> subscriber:
    /// every subscriber has its own queue of this many (references to shared) events; also the
    /// size of the <see cref="AmiClient.ProtocolErrors"/> buffer (default 4 096: about 5 MB of events,
    /// a few milliseconds of a fast stream; a larger queue only lets parsed events pile up and age
    /// into the older GC generations during a burst, see docs/performance.md).
    /// </summary>
    public int EventBufferCapacity { get; init; } = 4_096;

    /// <summary>
    /// Most items one event list may have (default 100 000); past that the list fails with
    /// <see cref="AmiLimitExceededException"/>, so a server streaming items without end cannot
    /// exhaust memory.
    /// </summary>
    public int MaxEventListItems { get; init; } = 100_000;

    /// <summary>
    /// Warnings of one kind that a server can provoke at will (protocol errors, responses with an
    /// unknown ActionID) logged per minute of the client's clock (default 10); the rest of that
    /// minute's are counted, and the next one logged says how many were held back.
    /// <see cref="AmiClient.ProtocolErrors"/> still reports every protocol error.
    /// </summary>
    public int MaxWarningsPerMinute { get; init; } = 10;

    /// <summary>
    /// How long <see cref="AmiClient.DisposeAsync"/> waits, once the connection is closed, for
    /// the <see cref="AmiClient.Events"/> subscribers to be delivered what is queued for them
    /// (default 10 s, on the client's scheduler). A subscriber still behind then loses the rest of
    /// its queue (counted in <see cref="AmiClient.EventsDropped"/> and logged) and is completed
    /// once its current handler returns.
    /// </summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>What happens when a subscriber's queue is full (default <see cref="AmiEventOverflow.Wait"/>).</summary>
    public AmiEventOverflow EventOverflow { get; init; } = AmiEventOverflow.Wait;

    /// <summary>Prefix of the generated <c>ActionID</c>s; a counter follows it (default <c>obelus-</c> plus a random tag).</summary>
    public string ActionIdPrefix { get; init; } = "obelus-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4)) + "-";

    /// <summary>Throws when an option is out of range.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Username, nameof(Username));
        ArgumentNullException.ThrowIfNull(Secret, nameof(Secret));
        ArgumentNullException.ThrowIfNull(ReaderOptions, nameof(ReaderOptions));
        ReaderOptions.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(LoginEventMask, nameof(LoginEventMask));
        ArgumentException.ThrowIfNullOrWhiteSpace(ActionIdPrefix, nameof(ActionIdPrefix));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ActionTimeout, TimeSpan.Zero, nameof(ActionTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepAliveTimeout, TimeSpan.Zero, nameof(KeepAliveTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DisposeTimeout, TimeSpan.Zero, nameof(DisposeTimeout));
        if (KeepAliveInterval is { } interval)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(KeepAliveInterval));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EventBufferCapacity, nameof(EventBufferCapacity));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEventListItems, nameof(MaxEventListItems));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxWarningsPerMinute, nameof(MaxWarningsPerMinute));
        Reconnect?.Validate();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Host = ").Append(Host)
            .Append(", Port = ").Append(Port)
            .Append(", Username = ").Append(Username)
            .Append(", Secret = ***")
            .Append(", AuthType = ").Append(AuthType)
            .Append(", LoginEventMask = ").Append(LoginEventMask)
            .Append(", ConnectTimeout = ").Append(ConnectTimeout)
            .Append(", ActionTimeout = ").Append(ActionTimeout)
            .Append(", KeepAliveInterval = ").Append(KeepAliveInterval?.ToString() ?? "off")
            .Append(", KeepAliveTimeout = ").Append(KeepAliveTimeout)
            .Append(", DisposeTimeout = ").Append(DisposeTimeout)
            .Append(", Reconnect = ").Append(Reconnect?.ToString() ?? "off")
            .Append(", EventBufferCapacity = ").Append(EventBufferCapacity)
            .Append(", MaxEventListItems = ").Append(MaxEventListItems)
            .Append(", MaxWarningsPerMinute = ").Append(MaxWarningsPerMinute)
            .Append(", EventOverflow = ").Append(EventOverflow);
        return true;
    }
}
