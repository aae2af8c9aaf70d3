using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommendations;

/// <summary>Everything that shapes a response. Equal keys may share one cached response.</summary>
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
