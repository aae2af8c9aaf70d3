namespace Personalization.Grains.Experiments;

/// <summary>An explicit conversion as it crosses a grain call: the experiment's feature, the metric and the value.</summary>
[GenerateSerializer, Immutable, Alias("personalization.ExperimentConversionRecord")]
public sealed record ExperimentConversionRecord(string Feature, string Metric, double Value)
{
    public static ExperimentConversionRecord From(ExperimentConversion conversion) =>
        new(conversion.Experiment.Feature, conversion.Metric, conversion.Value);
}
