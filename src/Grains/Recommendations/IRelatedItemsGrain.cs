namespace Personalization.Grains.Recommendations;

/// <summary>
/// related-items requests that name no user, keyed <c>{namespace}/{itemId}</c>: every anonymous viewer of an item
/// shares its cached answers, and the load spreads by item instead of gathering on one grain.
/// </summary>
[Alias("personalization.IRelatedItemsGrain")]
public interface IRelatedItemsGrain : IGrainWithStringKey
{
    [AlwaysInterleave, Alias("GetRecommendations")]
    ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationQuery query);
}
