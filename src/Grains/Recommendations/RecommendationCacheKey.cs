using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// Everything that shapes a response. Equal keys may share one cached response. Computed on the silo that took the
/// request and sent with the grain call, so a hit in the user grain is one dictionary lookup.
/// </summary>
[GenerateSerializer, Immutable, Alias("personalization.RecommendationCacheKey")]
public readonly record struct RecommendationCacheKey(
    RecommenderAction Action,
    string Recommender,
    string Variation,
    string? ItemId,
    string? ItemIds,
    int NumResults,
    string? Filter,
    string FilterValues,
    string Context,
    bool Decorate,
    string? DecorateFields,
    string? MatchedExperiment);

/// <summary>A cache key under the configuration version (content hash) it was prepared with.</summary>
public readonly record struct VersionedCacheKey(string ConfigVersion, RecommendationCacheKey Key);
