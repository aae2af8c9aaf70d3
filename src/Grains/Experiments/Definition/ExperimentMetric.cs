namespace Personalization.Grains.Experiments;

/// <summary>
/// A conversion metric. The Evidently fields are kept for compatibility; the built-in engine only needs the name.
/// An experiment that declares no metrics has one implicit metric named <see cref="DefaultName"/>.
/// </summary>
public sealed record ExperimentMetric(string Name, string? EntityIdKey = null, string? ValueKey = null, bool TrackExposures = true)
{
    public const string DefaultName = "conversion";
}
