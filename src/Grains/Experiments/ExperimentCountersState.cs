namespace Personalization.Grains.Experiments;

/// <summary>Persisted counters of one experiment: exposures per arm, and per metric the conversions per arm.</summary>
[GenerateSerializer, Alias("personalization.ExperimentCountersState")]
public sealed class ExperimentCountersState
{
    /// <summary>Users exposed per arm (metric-independent).</summary>
    [Id(0)]
    public Dictionary<string, long> Exposures { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per metric, the arm tallies (exposures copied in when reporting).</summary>
    [Id(1)]
    public Dictionary<string, ArmCounters> Metrics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The counters of <paramref name="metric"/>, with the exposures every metric shares.</summary>
    public ArmCounters For(string metric)
    {
        var counters = new ArmCounters();
        foreach (var (arm, users) in Exposures)
        {
            counters.RecordExposure(arm, users);
        }

        if (Metrics.TryGetValue(metric, out var recorded))
        {
            foreach (var (arm, tally) in recorded.Arms)
            {
                counters.RecordConversion(arm, tally.ConversionValue, tally.Conversions);
            }
        }

        return counters;
    }
}
