using Personalization.Grains.Configuration;
using Personalization.Runtime;

namespace Personalization.Grains.Recommendations;

[GrainType("related-items")]
public sealed class RelatedItemsGrain(RecommendationPipeline pipeline) : Grain, IRelatedItemsGrain
{
    private ResponseCache<RecommendationCacheKey> _responses = null!;
    private ResolvedNamespace? _config;

    public static string Key(string ns, string itemId) => ns + "/" + itemId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _responses = new ResponseCache<RecommendationCacheKey>(TimeProvider);
        return Task.CompletedTask;
    }

    public ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationRequest request)
    {
        if (!ReferenceEquals(_config, request.Namespace))
        {
            _responses.Clear();
            _config = request.Namespace;
        }

        return pipeline.ServeAsync(_responses, pipeline.Prepare(request));
    }
}
