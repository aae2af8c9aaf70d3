using Personalization.Runtime;

namespace Personalization.Grains.Experiments;

/// <summary>
/// Counts one experiment's exposures and conversions. Counts change often, so writes are coalesced: a timer saves
/// at most once a second, and deactivation saves what is left; counts therefore survive silo restarts.
/// </summary>
[GrainType("experiment")]
public sealed class ExperimentGrain(
    [PersistentState("counters")] IPersistentState<ExperimentCountersState> counters) : Grain, IExperimentGrain
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private IGrainTimer? _flushTimer;
    private bool _dirty;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public Task RecordExposureAsync(string variation)
    {
        var exposures = counters.State.Exposures;
        exposures[variation] = exposures.GetValueOrDefault(variation) + 1;
        MarkDirty();
        return Task.CompletedTask;
    }

    public Task RecordConversionAsync(string variation, string metric, double value, bool newlyConvertedUser)
    {
        if (!counters.State.Metrics.TryGetValue(metric, out var metricCounters))
        {
            counters.State.Metrics[metric] = metricCounters = new ArmCounters();
        }

        metricCounters.RecordConversion(variation, value, newlyConvertedUser ? 1 : 0);
        MarkDirty();
        return Task.CompletedTask;
    }

    public Task<ExperimentReport> GetReportAsync(ExperimentDefinition experiment, string? metric)
    {
        var ns = GetPrimaryKeyString()[..GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal)];
        var name = metric ?? experiment.Metrics[0].Name;
        return Task.FromResult(ExperimentResults.Build(ns, experiment, counters.State.For(name), name));
    }

    /// <summary>Writes are coalesced: the first change arms a one-shot flush, so idle grains hold no timer at all.</summary>
    private void MarkDirty()
    {
        if (!_dirty)
        {
            _dirty = true;
            _flushTimer = RegisterGrainTimer(FlushAsync, FlushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        // An idle grain keeps no timer (a timer is a few hundred bytes, times every cached user).
        _flushTimer?.Dispose();
        _flushTimer = null;
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        await counters.WriteStateAsync(cancellationToken).ConfigureAwait(false);
    }
}
