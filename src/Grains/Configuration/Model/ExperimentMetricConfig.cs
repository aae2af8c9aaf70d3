namespace Personalization.Grains.Configuration;

/// <summary>An Evidently metric definition (`metrics.{name}`), kept so conversions can be named as before.</summary>
public sealed record ExperimentMetricConfig(string Name, string? EntityIdKey, string? ValueKey, bool TrackExposures);
