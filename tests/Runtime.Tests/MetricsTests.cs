using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Personalization.Runtime.Tests.Grains;

namespace Personalization.Runtime.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Activations_calls_and_storage_are_measured()
    {
        await using var silo = await Silos.StartAsync(new Probe());
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == silo.Runtime.Metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tag(tags))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tag(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tag(tags))));
        listener.Start();

        await silo.GrainFactory.GetGrain<ICounterGrain>("m").IncrementAsync();
        await silo.GrainFactory.GetGrain<ICounterGrain>("m").GetAsync();
        await silo.GrainFactory.GetGrain<IStateGrain>("m").SetAsync("v");
        await silo.DeactivateAsync<ICounterGrain>("m");
        listener.RecordObservableInstruments();

        Assert.Contains(("personalization.runtime.activations.created", 1d, "CounterGrain"), measurements);
        Assert.Contains(("personalization.runtime.activations.collected", 1d, "CounterGrain"), measurements);
        Assert.Contains(("personalization.runtime.activations.live", 0d, "CounterGrain"), measurements);
        Assert.Contains(("personalization.runtime.activations.live", 1d, "StateGrain"), measurements);
        Assert.True(measurements.Count(m => m.Instrument == "personalization.runtime.call.duration" && m.Tag == "CounterGrain") >= 2);
        Assert.Contains(measurements, m => m.Instrument == "personalization.runtime.storage.duration");
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "grain.type")
            {
                return (string?)tag.Value;
            }
        }

        return null;
    }
}
