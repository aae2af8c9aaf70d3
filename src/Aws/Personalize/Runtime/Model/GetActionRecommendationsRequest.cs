namespace Personalization.Aws.Personalize.Runtime;

/// <summary>Input of GetActionRecommendations (POST /action-recommendations).</summary>
public sealed class GetActionRecommendationsRequest
{
    public string? CampaignArn { get; set; }

    public string? UserId { get; set; }

    public int? NumResults { get; set; }

    public string? FilterArn { get; set; }

    public Dictionary<string, string>? FilterValues { get; set; }
}
