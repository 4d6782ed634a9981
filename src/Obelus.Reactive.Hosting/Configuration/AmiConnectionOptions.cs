using System.Globalization;
using Obelus.Reactive.Calls;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Hosting.Configuration;

/// <summary>
/// One AMI connection as configuration describes it (a section such as <c>Obelus:Ami</c>): the
/// server, the credentials, the client's limits, the reconnect policy, the call manager's settings
/// and how the host treats the connection. Checked when the host starts (see docs/hosting.md).
/// <see cref="ToString"/> never shows <see cref="Secret"/>.
/// </summary>
public sealed class AmiConnectionOptions
{
    /// <summary>Server host name or address (required).</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>Server port, 1 to 65535 (default 5038; Asterisk's TLS port is 5039).</summary>
    public int Port { get; set; } = 5038;

    /// <summary>Connect with TLS (<c>tlsbindport</c> on the server), validating its certificate the normal .NET way (default false).</summary>
    public bool UseTls { get; set; }

    /// <summary>AMI user, a section of manager.conf (required).</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>
    /// The user's secret (required). Give it from a secret store or the environment
    /// (<c>Obelus__Ami__Secret</c> for the section <c>Obelus:Ami</c>) rather than a file; it is
    /// never logged, shown or put in a message.
    /// </summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Plain or MD5 challenge login (default plain).</summary>
    public AmiAuthType AuthType { get; set; } = AmiAuthType.Plain;

    /// <summary>The <c>Events</c> header of the login: <c>on</c> (default), <c>off</c> or a class list such as <c>call,system</c>.</summary>
    public string LoginEventMask { get; set; } = "on";

    /// <summary>How long opening the transport (TCP connect, TLS handshake) may take (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an action (and the banner, each login step and the Logoff at shutdown) may wait for its answer (default 10 s).</summary>
    public TimeSpan ActionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time after which a keep-alive <c>Ping</c> is sent (default 20 s); zero turns keep-alive off.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a keep-alive <c>Ping</c> may go unanswered before the connection counts as dead (default 10 s).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events buffered for each subscriber of the client's event stream (default 4 096).</summary>
    public int EventBufferCapacity { get; set; } = 4_096;

    /// <summary>What happens when a subscriber's buffer is full (default <see cref="AmiEventOverflow.Wait"/>).</summary>
    public AmiEventOverflow EventOverflow { get; set; } = AmiEventOverflow.Wait;

    /// <summary>Most items one event list may have (default 100 000).</summary>
    public int MaxEventListItems { get; set; } = 100_000;

    /// <summary>Warnings of one kind a server can provoke at will, logged per minute (default 10).</summary>
    public int MaxWarningsPerMinute { get; set; } = 10;

    /// <summary>How long closing waits for the event subscribers to be delivered what is queued for them, after the Logoff (default 10 s).</summary>
    public TimeSpan DisposeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnecting after a lost connection (on by default), and retrying a failed first connection.</summary>
    public AmiReconnectOptions Reconnect { get; set; } = new();

    /// <summary>Settings of the connection's <see cref="CallManager"/>.</summary>
    public CallManagerOptions CallManager { get; set; } = new();

    /// <summary>Add the call manager's server-side event filters after each login (needs <c>write=system</c>; default false).</summary>
    public bool SetupFilters { get; set; }

    /// <summary>
    /// True (default): the host does not start when the first connection fails. False: the host
    /// starts anyway, the failure is logged, the health check reports it, and the connection is
    /// retried with the <see cref="Reconnect"/> policy (a refused login is not retried).
    /// </summary>
    public bool RequireConnectionAtStartup { get; set; } = true;

    /// <summary>
    /// Record the duration and outcome of incoming calls too (default false). It subscribes to the
    /// call manager's incoming calls, which makes the manager track them: a cost per call event.
    /// </summary>
    public bool MeasureIncomingCalls { get; set; }

    /// <summary>How long the health check reports Degraded after an event was dropped (default 1 min).</summary>
    public TimeSpan DroppedEventsHealthWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The client options these settings describe.</summary>
    public AmiClientOptions ToClientOptions() => new()
    {
        Host = Host,
        Port = Port,
        Username = Username,
        Secret = Secret,
        AuthType = AuthType,
        LoginEventMask = LoginEventMask,
        ConnectTimeout = ConnectTimeout,
        ActionTimeout = ActionTimeout,
        KeepAliveInterval = KeepAliveInterval == TimeSpan.Zero ? null : KeepAliveInterval,
        KeepAliveTimeout = KeepAliveTimeout,
        EventBufferCapacity = EventBufferCapacity,
        EventOverflow = EventOverflow,
        MaxEventListItems = MaxEventListItems,
        MaxWarningsPerMinute = MaxWarningsPerMinute,
        DisposeTimeout = DisposeTimeout,
        Reconnect = Reconnect?.ToPolicy(),
    };

    /// <summary>The settings, with the secret hidden.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(UseTls ? "tls" : "tcp")}://{Host}:{Port} as '{Username}' (Secret = ***, AuthType = {AuthType}, ActionTimeout = {ActionTimeout}, KeepAliveInterval = {KeepAliveInterval}, Reconnect = {Reconnect?.ToString() ?? "off"})");
}
