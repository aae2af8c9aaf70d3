namespace Personalization.Aws.Personalize.Runtime;

/// <summary>Input of GetPersonalizedRanking (POST /personalize-ranking).</summary>
public sealed class GetPersonalizedRankingRequest
{
    public string CampaignArn { get; set; } = "";

    public List<string> InputList { get; set; } = [];

    public string UserId { get; set; } = "";

    public Dictionary<string, string>? Context { get; set; }

    public string? FilterArn { get; set; }

    public Dictionary<string, string>? FilterValues { get; set; }

    public Dictionary<string, List<string>>? MetadataColumns { get; set; }
}
