using Personalization.Runtime;

namespace Personalization.Grains.Experiments;

/// <summary>The counters of one experiment, keyed <c>{namespace}/{feature}</c>: exposures and conversions per arm, persisted.</summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    Task RecordExposureAsync(string variation);

    Task RecordConversionAsync(string variation, string metric, double value, bool newlyConvertedUser);

    /// <summary>The results of <paramref name="metric"/> (the experiment's first metric when null), built inside the turn.</summary>
    [ReadOnly]
    Task<ExperimentReport> GetReportAsync(ExperimentDefinition experiment, string? metric);
}
