namespace Personalization.Aws.Personalize.Runtime;

/// <summary>Output of GetRecommendations.</summary>
public sealed class GetRecommendationsResponse
{
    public List<PredictedItem> ItemList { get; set; } = [];

    public string? RecommendationId { get; set; }
}
