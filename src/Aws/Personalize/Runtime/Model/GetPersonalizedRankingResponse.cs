namespace Personalization.Aws.Personalize.Runtime;

/// <summary>Output of GetPersonalizedRanking.</summary>
public sealed class GetPersonalizedRankingResponse
{
    public List<PredictedItem> PersonalizedRanking { get; set; } = [];

    public string? RecommendationId { get; set; }
}
