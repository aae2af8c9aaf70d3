using System.Collections.Frozen;
using Personalization.Grains.Experiments;

namespace Personalization.Grains.Configuration;

/// <summary>A recommender ready to serve: variations in document order (the first is the default/control).</summary>
public sealed class ResolvedRecommender
{
    private readonly FrozenDictionary<string, ResolvedVariation> _byKey;

    public ResolvedRecommender(
        string @namespace,
        RecommenderAction action,
        string name,
        string? displayName,
        string? description,
        IReadOnlyList<ResolvedVariation> variations,
        IReadOnlyDictionary<string, ExperimentDefinition> experiments,
        ResponsePostProcessorConfig? responsePostProcessor)
    {
        Namespace = @namespace;
        Action = action;
        Name = name;
        DisplayName = displayName;
        Description = description;
        Variations = variations;
        Experiments = experiments;
        ResponsePostProcessor = responsePostProcessor;
        _byKey = variations.ToFrozenDictionary(v => v.Key, StringComparer.Ordinal);
    }

    public string Namespace { get; }

    public RecommenderAction Action { get; }

    /// <summary>The recommender key (URL segment).</summary>
    public string Name { get; }

    /// <summary>The informative `name` property.</summary>
    public string? DisplayName { get; }

    public string? Description { get; }

    public IReadOnlyList<ResolvedVariation> Variations { get; }

    public ResolvedVariation DefaultVariation => Variations[0];

    /// <summary>Keyed by feature name, in document order.</summary>
    public IReadOnlyDictionary<string, ExperimentDefinition> Experiments { get; }

    public ResponsePostProcessorConfig? ResponsePostProcessor { get; }

    /// <summary>The recommender's JSON object (compact, inherited objects filled in); lambda, sagemaker and post-processor payloads carry it as `recommender.config`.</summary>
    public string? Document { get; init; }

    public bool TryGetVariation(string key, out ResolvedVariation variation) => _byKey.TryGetValue(key, out variation!);
}
