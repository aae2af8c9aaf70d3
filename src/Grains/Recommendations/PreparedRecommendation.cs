using Personalization.Grains.Configuration;
using Personalization.Grains.Context;
using Personalization.Grains.Experiments;

namespace Personalization.Grains.Recommendations;

/// <summary>A request with its variation, context, filter and cache policy resolved: enough to look up the cache or call the backend.</summary>
public readonly struct PreparedRecommendation
{
    public required RecommendationRequest Request { get; init; }

    public required ResolvedVariation Variation { get; init; }

    public ExperimentDefinition? Experiment { get; init; }

    public Assignment Assignment { get; init; }

    public SelectedFilter? Filter { get; init; }

    public required CanonicalMap FilterValues { get; init; }

    public required CanonicalMap Context { get; init; }

    public required CachePolicy Policy { get; init; }

    public UserClass UserClass { get; init; }

    public required RecommendationCacheKey Key { get; init; }

    /// <summary>Counted as an experiment exposure when served.</summary>
    public bool IsExperimentArm => Experiment is not null && Assignment.Reason == AssignmentReason.ExperimentRuleMatch;
}
