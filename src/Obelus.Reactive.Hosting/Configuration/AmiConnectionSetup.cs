using System.Reactive.Concurrency;
using Obelus.Reactive.Client;

namespace Obelus.Reactive.Hosting.Configuration;

/// <summary>
/// What code, not configuration, says about a named connection: where its settings came from (for
/// messages), and the transport and scheduler to use instead of the defaults.
/// </summary>
internal sealed class AmiConnectionSetup
{
    /// <summary>The configuration section the options were bound from, when they were.</summary>
    public string? ConfigurationPath { get; set; }

    /// <summary>Makes the transport; null: TCP or TLS to the configured host and port.</summary>
    public Func<IServiceProvider, IAmiTransport>? TransportFactory { get; set; }

    /// <summary>Clock for every timer of the connection; null: the client's default.</summary>
    public IScheduler? Scheduler { get; set; }

    /// <summary>How a connection is named in messages.</summary>
    public static string Describe(string name) => name.Length == 0 ? "default" : name;
}
