namespace Personalization.Grains.Configuration;

/// <summary>The three inference actions; wire names recommend-items, related-items, rerank-items.</summary>
[GenerateSerializer, Alias("personalization.RecommenderAction")]
public enum RecommenderAction
{
    RecommendItems,
    RelatedItems,
    RerankItems,
}
