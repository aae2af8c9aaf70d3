using System.Diagnostics.Metrics;

namespace Personalization.Grains.Experiments;

/// <summary>Meter <c>Personalization.Experiments</c>: exposures and conversions counted by the experiment grains, by namespace, feature and variation.</summary>
internal static class ExperimentMetrics
{
    private static readonly Meter Meter = new("Personalization.Experiments");

    public static readonly Counter<long> Exposures = Meter.CreateCounter<long>("experiments.exposures", "{exposure}", "Responses served by an experiment's arm (exposures recorded)");

    public static readonly Counter<long> Conversions = Meter.CreateCounter<long>("experiments.conversions", "{conversion}", "Conversion events attributed to an experiment's arm");
}
