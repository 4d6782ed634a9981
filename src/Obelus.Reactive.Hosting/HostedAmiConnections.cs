using Microsoft.Extensions.DependencyInjection;
using Obelus.Reactive.Hosting.Configuration;

namespace Obelus.Reactive.Hosting;

/// <summary>Every AMI connection registered with <c>AddObelusAmi</c>, by name (one per Asterisk server).</summary>
public sealed class HostedAmiConnections
{
    private readonly IServiceProvider _services;
    private readonly AmiConnectionNames _names;

    internal HostedAmiConnections(IServiceProvider services, AmiConnectionNames names)
    {
        _services = services;
        _names = names;
    }

    /// <summary>The registered names, in registration order (the default connection's name is empty).</summary>
    public IReadOnlyList<string> Names => _names.Names;

    /// <summary>The connection registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No connection has that name.</exception>
    public HostedAmiConnection Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_names.Names.Contains(name, StringComparer.Ordinal))
        {
            throw new KeyNotFoundException($"No AMI connection named '{AmiConnectionSetup.Describe(name)}' is registered (registered: {string.Join(", ", _names.Names.Select(AmiConnectionSetup.Describe))}).");
        }

        return _services.GetRequiredKeyedService<HostedAmiConnection>(name);
    }
}
