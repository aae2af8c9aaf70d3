namespace Personalization.Grains.Configuration;

/// <summary>Options of a `builtin` variation, defaults applied (algorithm by action, excludeInteracted true).</summary>
public sealed record BuiltinOptions(BuiltinAlgorithm Algorithm, string? Category, bool ExcludeInteracted)
{
    public static BuiltinAlgorithm DefaultAlgorithm(RecommenderAction action) => action switch
    {
        RecommenderAction.RecommendItems => BuiltinAlgorithm.Personalized,
        RecommenderAction.RelatedItems => BuiltinAlgorithm.SimilarItems,
        _ => BuiltinAlgorithm.Rerank,
    };
}
