using Obelus.Reactive.WorkerSample;
using Xunit;

namespace Obelus.Reactive.Hosting.Tests.Samples;

public class WorkerSampleTests
{
    [Fact]
    public async Task The_worker_sample_runs_its_calls_against_the_simulator_and_exits_healthy()
    {
        // Real time over loopback TCP, as a user runs it: the longest sample call talks for a second.
        using var safetyNet = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exitCode = await WorkerSampleApp.RunAsync(["--Sample:Simulate=true", "--Logging:LogLevel:Default=Warning"], safetyNet.Token);

        Assert.Equal(0, exitCode);
        Assert.False(safetyNet.IsCancellationRequested);
    }
}
