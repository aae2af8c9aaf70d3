namespace Personalization.Grains.Experiments;

/// <summary>One validated entry of <c>experimentConversions[]</c>, resolved to a configured experiment and metric.</summary>
public sealed record ExperimentConversion(
    string Action,
    string Recommender,
    ExperimentDefinition Experiment,
    string Metric,
    double Value);
