namespace Personalization.Grains.Configuration;

/// <summary>Algorithm of a builtin variation; wire names personalized, similar-items, trending, rerank.</summary>
public enum BuiltinAlgorithm
{
    Personalized,
    SimilarItems,
    Trending,
    Rerank,
}
