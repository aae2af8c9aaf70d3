using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Personalization.Runtime.Core;

/// <summary>Instruments of meter "Personalization.Runtime". Call timing is taken only while someone listens.</summary>
internal sealed class RuntimeMetrics : IDisposable
{
    public const string MeterName = "Personalization.Runtime";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _created;
    private readonly Counter<long> _collected;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _storageDuration;
    private readonly Counter<long> _storageErrors;

    internal Meter Meter => _meter;

    public RuntimeMetrics(Func<IEnumerable<Measurement<int>>> liveActivations)
    {
        _meter.CreateObservableGauge("personalization.runtime.activations.live", liveActivations, "{activation}", "Live activations per grain type");
        _created = _meter.CreateCounter<long>("personalization.runtime.activations.created", "{activation}");
        _collected = _meter.CreateCounter<long>("personalization.runtime.activations.collected", "{activation}", "Activations deactivated, by reason");
        _callDuration = _meter.CreateHistogram<double>("personalization.runtime.call.duration", "s", "Grain call latency");
        _storageDuration = _meter.CreateHistogram<double>("personalization.runtime.storage.duration", "s", "Grain storage operation latency");
        _storageErrors = _meter.CreateCounter<long>("personalization.runtime.storage.errors", "{error}");
    }

    /// <summary>A start timestamp, or 0 when no listener wants call latency.</summary>
    public long StartCall() => _callDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    public void EndCall(long started, string grainType)
    {
        if (started != 0)
        {
            _callDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("grain.type", grainType));
        }
    }

    public void ActivationCreated(string grainType) =>
        _created.Add(1, new KeyValuePair<string, object?>("grain.type", grainType));

    public void ActivationCollected(string grainType, DeactivationReasonCode reason) =>
        _collected.Add(1, new KeyValuePair<string, object?>("grain.type", grainType), new KeyValuePair<string, object?>("reason", reason.ToString()));

    public long StartStorage() => Stopwatch.GetTimestamp();

    public void EndStorage(long started, string storage, string operation, bool failed)
    {
        var tags = new TagList { { "storage", storage }, { "operation", operation } };
        _storageDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        if (failed)
        {
            _storageErrors.Add(1, tags);
        }
    }

    public void Dispose() => _meter.Dispose();
}
