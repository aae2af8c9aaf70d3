namespace Personalization.Grains.Experiments;

/// <summary>The counters of one experiment, keyed <c>{namespace}/{feature}</c>: exposures and conversions per arm, persisted.</summary>
[Alias("personalization.IExperimentGrain")]
public interface IExperimentGrain : IGrainWithStringKey
{
    [Alias("RecordExposure")]
    Task RecordExposureAsync(string variation);

    [Alias("RecordConversion")]
    Task RecordConversionAsync(string variation, string metric, double value, bool newlyConvertedUser);

    /// <summary>Exposures per arm with <paramref name="metric"/>'s conversions; the caller builds the report from its configuration.</summary>
    [ReadOnly, Alias("GetCounters")]
    Task<ArmCounters> GetCountersAsync(string metric);
}
