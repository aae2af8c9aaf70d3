using Personalization.Grains.Configuration;
using Personalization.Grains.Context;

namespace Personalization.Grains.Recommendations;

/// <summary>A validated inference request, as the API hands it to a user grain.</summary>
public sealed class RecommendationRequest
{
    public required ResolvedNamespace Namespace { get; init; }

    public required ResolvedRecommender Recommender { get; init; }

    public string? UserId { get; init; }

    /// <summary>related-items: the item to find related items for.</summary>
    public string? ItemId { get; init; }

    /// <summary>rerank-items: the items to order, and their joined form for the cache key.</summary>
    public IReadOnlyList<string>? ItemIds { get; init; }

    public string? ItemIdsKey { get; init; }

    public required InferenceOptions Options { get; init; }

    /// <summary>The request's headers, for auto context (device, location, time zone).</summary>
    public IRequestHeaders Headers { get; init; } = RequestHeaders.None;
}
