namespace Personalization.Grains.Recommendations;

/// <summary>Anonymous related-items answers of one item; nothing to persist (see <see cref="IRelatedItemsGrain"/>).</summary>
public sealed class RelatedItemsGrain(RecommendationPipeline pipeline, TimeProvider time) : Grain, IRelatedItemsGrain
{
    private ResponseCache<VersionedCacheKey> _responses = null!;

    public static string Key(string ns, string itemId) => ns + "/" + itemId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _responses = new ResponseCache<VersionedCacheKey>(time);
        return Task.CompletedTask;
    }

    public ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationQuery query)
    {
        return pipeline.ServeAsync(_responses, query);
    }
}
