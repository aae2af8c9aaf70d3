using System.Text.Json;

namespace Personalization.Grains.Experiments;

/// <summary>
/// One experiment of a recommender (<c>experiments.{feature}</c>), already validated and with every default
/// applied. Immutable; build it with <see cref="FromJson"/> or an object initializer (tests).
/// </summary>
public sealed class ExperimentDefinition
{
    public required string Feature { get; init; }

    public required ExperimentMethod Method { get; init; }

    /// <summary>Hash salt; changing it reshuffles every user. Defaults to the feature name.</summary>
    public required string Salt { get; init; }

    /// <summary>Arms in config order. Weights are relative (they need not sum to 1 or 100).</summary>
    public required IReadOnlyList<ExperimentArm> Arms { get; init; }

    /// <summary>The arm the others are compared with; also what holdout users are served.</summary>
    public required string Control { get; init; }

    /// <summary>The recommender's first variation: served when the user is outside the experiment.</summary>
    public required string DefaultVariation { get; init; }

    /// <summary>Fraction (0..1) of users served <see cref="Control"/> without being counted.</summary>
    public double Holdout { get; init; }

    /// <summary>Experiments sharing a layer name split users between them, so a user is in at most one.</summary>
    public string? Layer { get; init; }

    public double LayerWeight { get; init; } = 1;

    /// <summary>QA overrides: user id → variation key. They win over everything and are not counted.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = EmptyOverrides;

    /// <summary>Inclusive start instant; before it users get <see cref="DefaultVariation"/>.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Exclusive end instant; from it on users get <see cref="DefaultVariation"/>.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>Conversion metrics; never empty (an implicit <see cref="ExperimentMetric.DefaultName"/> when none are configured).</summary>
    public IReadOnlyList<ExperimentMetric> Metrics { get; init; } = DefaultMetrics;

    /// <summary>The Evidently project name of an <c>evidently</c> config; informational only.</summary>
    public string? Project { get; init; }

    /// <summary>The <c>type</c> sent in <c>matchedExperiment</c>: the configured method's name.</summary>
    public string MethodName => Method == ExperimentMethod.Evidently ? "evidently" : "builtin";

    internal static readonly IReadOnlyDictionary<string, string> EmptyOverrides = new Dictionary<string, string>(StringComparer.Ordinal);

    internal static readonly IReadOnlyList<ExperimentMetric> DefaultMetrics = [new ExperimentMetric(ExperimentMetric.DefaultName)];

    /// <summary>
    /// Parses <c>experiments.{feature}</c> of a recommender whose variation keys are <paramref name="variationKeys"/>
    /// (config order, first = default). Returns null and at least one error when the JSON is invalid; every error
    /// names its JSON path, starting with <paramref name="path"/> (default <c>experiments.{feature}</c>).
    /// </summary>
    public static ExperimentDefinition? FromJson(
        JsonElement experiment,
        string feature,
        IReadOnlyList<string> variationKeys,
        out IReadOnlyList<string> errors,
        string? path = null)
    {
        var parser = new ExperimentDefinitionParser(feature, variationKeys, path ?? $"experiments.{feature}");
        var definition = parser.Parse(experiment);
        errors = parser.Errors;
        return definition;
    }
}
