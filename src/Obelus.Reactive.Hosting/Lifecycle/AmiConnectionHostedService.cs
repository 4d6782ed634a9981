using Microsoft.Extensions.Hosting;

namespace Obelus.Reactive.Hosting.Lifecycle;

/// <summary>Ties one connection to the host's lifetime: connected at start, logged off and closed at stop.</summary>
internal sealed class AmiConnectionHostedService(HostedAmiConnection connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => connection.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => connection.StopAsync(cancellationToken);
}
