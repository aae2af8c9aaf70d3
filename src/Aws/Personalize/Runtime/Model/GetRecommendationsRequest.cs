namespace Personalization.Aws.Personalize.Runtime;

/// <summary>Input of personalize-runtime GetRecommendations (POST /recommendations).</summary>
public sealed class GetRecommendationsRequest
{
    public string? CampaignArn { get; set; }

    public string? ItemId { get; set; }

    public string? UserId { get; set; }

    public int? NumResults { get; set; }

    public Dictionary<string, string>? Context { get; set; }

    public string? FilterArn { get; set; }

    public Dictionary<string, string>? FilterValues { get; set; }

    public string? RecommenderArn { get; set; }

    public List<Promotion>? Promotions { get; set; }

    public Dictionary<string, List<string>>? MetadataColumns { get; set; }
}
