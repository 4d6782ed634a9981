using System.Diagnostics.Metrics;

namespace Obelus.Reactive.Hosting.Tests.Diagnostics;

/// <summary>Listens to every instrument of one meter and keeps each measurement with its tags.</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Recorded> _recorded = [];
    private readonly List<(string Instrument, TaskCompletionSource<Recorded> Found)> _waiting = [];

    public MetricsRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public sealed record Recorded(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Every measurement of <paramref name="instrument"/> so far.</summary>
    public IReadOnlyList<Recorded> Of(string instrument)
    {
        lock (_recorded)
        {
            return _recorded.Where(r => r.Instrument == instrument).ToArray();
        }
    }

    /// <summary>Completes with the first measurement of <paramref name="instrument"/>, recorded already or to come (for figures recorded on another thread).</summary>
    public Task<Recorded> FirstAsync(string instrument)
    {
        lock (_recorded)
        {
            if (_recorded.FirstOrDefault(r => r.Instrument == instrument) is { } found)
            {
                return Task.FromResult(found);
            }

            var waiter = new TaskCompletionSource<Recorded>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((instrument, waiter));
            return waiter.Task;
        }
    }

    /// <summary>Collects the observable instruments now and returns what they reported for <paramref name="instrument"/>.</summary>
    public IReadOnlyList<Recorded> Collect(string instrument)
    {
        lock (_recorded)
        {
            _recorded.RemoveAll(r => r.Instrument == instrument);
        }

        _listener.RecordObservableInstruments();
        return Of(instrument);
    }

    /// <summary>The sum of the measurements of <paramref name="instrument"/> whose tags include <paramref name="tag"/>.</summary>
    public double Sum(string instrument, string tag, object value) =>
        Of(instrument).Where(r => Equals(r.Tags.GetValueOrDefault(tag), value)).Sum(r => r.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        var recorded = new Recorded(instrument.Name, instrument.Unit, value, copy);
        lock (_recorded)
        {
            _recorded.Add(recorded);
            foreach (var waiter in _waiting.Where(w => w.Instrument == recorded.Instrument))
            {
                waiter.Found.TrySetResult(recorded);
            }

            _waiting.RemoveAll(w => w.Instrument == recorded.Instrument);
        }
    }
}
