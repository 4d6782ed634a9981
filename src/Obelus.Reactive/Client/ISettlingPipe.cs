using System.IO.Pipelines;

namespace Obelus.Reactive.Client;

/// <summary>
/// An in-memory connection whose far end (the simulator) runs in virtual time: the client
/// reports its own work to the connection's <see cref="WorkGauge"/>, so that nothing on the
/// virtual clock runs while a message is still on its way.
/// </summary>
internal interface ISettlingPipe : IDuplexPipe
{
    /// <summary>Called once by the client that reads this pipe; returns the gauge it reports to.</summary>
    WorkGauge Follow();
}
