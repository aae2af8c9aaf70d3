using Personalization.Grains.Storage;

namespace Personalization.Grains.Experiments;

/// <summary>
/// Counts one experiment's exposures and conversions. Counts change often, so writes are coalesced: a timer saves
/// at most once a second, and deactivation saves what is left; counts therefore survive silo restarts.
/// </summary>
public sealed class ExperimentGrain(
    [PersistentState("counters")] IPersistentState<ExperimentCountersState> counters) : Grain, IExperimentGrain
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private WriteBehind<ExperimentCountersState> _writes = null!;
    private KeyValuePair<string, object?> _namespaceTag;
    private KeyValuePair<string, object?> _featureTag;

    public static string Key(string ns, string feature) => ns + "/" + feature;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writes = new WriteBehind<ExperimentCountersState>(counters, this, FlushInterval);
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        _namespaceTag = new("namespace", slash < 0 ? key : key[..slash]);
        _featureTag = new("feature", slash < 0 ? key : key[(slash + 1)..]);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writes.FlushAsync(cancellationToken);

    public Task RecordExposureAsync(string variation)
    {
        var exposures = counters.State.Exposures;
        exposures[variation] = exposures.GetValueOrDefault(variation) + 1;
        ExperimentMetrics.Exposures.Add(1, _namespaceTag, _featureTag, new("variation", variation));
        _writes.MarkDirty();
        return Task.CompletedTask;
    }

    public Task RecordConversionAsync(string variation, string metric, double value, bool newlyConvertedUser)
    {
        if (!counters.State.Metrics.TryGetValue(metric, out var metricCounters))
        {
            counters.State.Metrics[metric] = metricCounters = new ArmCounters();
        }

        metricCounters.RecordConversion(variation, value, newlyConvertedUser ? 1 : 0);
        ExperimentMetrics.Conversions.Add(1, _namespaceTag, _featureTag, new("variation", variation));
        _writes.MarkDirty();
        return Task.CompletedTask;
    }

    public Task<ArmCounters> GetCountersAsync(string metric) => Task.FromResult(counters.State.For(metric));
}
