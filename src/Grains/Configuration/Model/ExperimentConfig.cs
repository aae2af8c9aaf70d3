using System.Text.Json;

namespace Personalization.Grains.Configuration;

/// <summary>
/// `experiments.{feature}` with defaults applied: Arms defaults to every variation at weight 1, Control to the
/// first variation, Salt to the feature name. Raw is the original JSON object (detached) for engines that
/// read more than this model.
/// </summary>
public sealed record ExperimentConfig(
    string Feature,
    ExperimentMethod Method,
    string? Project,
    string Salt,
    IReadOnlyList<ExperimentArm> Arms,
    string Control,
    double Holdout,
    string? Layer,
    double LayerWeight,
    IReadOnlyDictionary<string, string> Overrides,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    IReadOnlyList<ExperimentMetricConfig> Metrics,
    JsonElement Raw);
