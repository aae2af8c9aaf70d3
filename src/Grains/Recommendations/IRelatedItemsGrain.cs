using Personalization.Runtime;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// related-items requests that name no user, keyed <c>{namespace}/{itemId}</c>: every anonymous viewer of an item
/// shares its cached answers, and the load spreads by item instead of gathering on one grain.
/// </summary>
public interface IRelatedItemsGrain : IGrainWithStringKey
{
    ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationRequest request);
}
