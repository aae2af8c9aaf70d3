using Personalization.Grains.Configuration;
using Personalization.Grains.Context;

namespace Personalization.Grains.Recommenders;

/// <summary>
/// Everything a backend needs for one call, already resolved: the variation, the chosen filter with its values,
/// and the inference context (client keys merged with auto context).
/// </summary>
public sealed record BackendRequest(
    ResolvedRecommender Recommender,
    ResolvedVariation Variation,
    string? UserId,
    string? ItemId,
    IReadOnlyList<string>? InputList,
    int NumResults,
    SelectedFilter? Filter,
    IReadOnlyDictionary<string, string> FilterValues,
    IReadOnlyDictionary<string, string> Context,
    IReadOnlyList<string>? MetadataColumns = null);
