using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Obelus.Reactive.Hosting.Diagnostics;

namespace Obelus.Reactive.WorkerSample;

/// <summary>
/// A stand-in for an exporter: logs each finished activity and, at the end, the totals of the
/// counters. With OpenTelemetry, <c>AddSource</c>/<c>AddMeter(ObelusAmiTelemetry.MeterName)</c> does this job.
/// </summary>
public sealed class TelemetryPrinter(ILogger<TelemetryPrinter> logger) : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly ConcurrentDictionary<string, double> _totals = new();
    private ActivityListener? _activities;

    /// <summary>Starts listening.</summary>
    public void Start()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ObelusAmiTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meters.Start();

        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ObelusAmiTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => SampleLog.Trace(
                logger,
                activity.OperationName,
                Math.Round(activity.Duration.TotalSeconds, 3),
                activity.Status.ToString(),
                string.Join(", ", activity.TagObjects.Select(t => t.Key + "=" + t.Value))),
        };
        ActivitySource.AddActivityListener(_activities);
    }

    /// <summary>Logs the counter totals and the observable instruments as they stand.</summary>
    public void PrintTotals()
    {
        _meters.RecordObservableInstruments();
        foreach (var (key, value) in _totals.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            SampleLog.Metric(logger, key, value);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _meters.Dispose();
        _activities?.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = instrument.Name;
        foreach (var tag in tags)
        {
            if (tag.Key != ObelusAmiTelemetry.ConnectionTag)
            {
                key += $" {tag.Key}={tag.Value}";
            }
        }

        // Observable instruments report running figures (keep the last); the others report increments (add them up).
        if (instrument.IsObservable)
        {
            _totals[key] = value;
        }
        else if (instrument is not Histogram<double>)
        {
            _totals.AddOrUpdate(key, value, (_, total) => total + value);
        }
    }
}
