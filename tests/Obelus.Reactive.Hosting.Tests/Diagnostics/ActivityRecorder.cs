using System.Diagnostics;
using Obelus.Reactive.Hosting.Diagnostics;

namespace Obelus.Reactive.Hosting.Tests.Diagnostics;

/// <summary>Records the stopped activities of one connection (tests run side by side: the source is process-wide).</summary>
internal sealed class ActivityRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<Activity> _stopped = [];

    public ActivityRecorder(string connectionName)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ObelusAmiTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem(ObelusAmiTelemetry.ConnectionTag), connectionName))
                {
                    lock (_stopped)
                    {
                        _stopped.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped
    {
        get
        {
            lock (_stopped)
            {
                return _stopped.ToArray();
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
