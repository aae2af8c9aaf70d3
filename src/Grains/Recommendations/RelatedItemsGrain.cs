namespace Personalization.Grains.Recommendations;

/// <summary>Anonymous related-items answers of one item; nothing to persist (see <see cref="IRelatedItemsGrain"/>).</summary>
public sealed class RelatedItemsGrain(RecommendationPipeline pipeline, TimeProvider time) : Grain, IRelatedItemsGrain
{
    private ResponseCache<RecommendationCacheKey> _responses = null!;
    private string? _configVersion;

    public static string Key(string ns, string itemId) => ns + "/" + itemId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _responses = new ResponseCache<RecommendationCacheKey>(time);
        return Task.CompletedTask;
    }

    public ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationQuery query)
    {
        if (!string.Equals(_configVersion, query.ConfigVersion, StringComparison.Ordinal))
        {
            _responses.Clear();
            _configVersion = query.ConfigVersion;
        }

        return pipeline.ServeAsync(_responses, query);
    }
}
