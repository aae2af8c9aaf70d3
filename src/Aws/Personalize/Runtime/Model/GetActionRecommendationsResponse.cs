namespace Personalization.Aws.Personalize.Runtime;

/// <summary>Output of GetActionRecommendations.</summary>
public sealed class GetActionRecommendationsResponse
{
    public List<PredictedAction> ActionList { get; set; } = [];

    public string? RecommendationId { get; set; }
}
