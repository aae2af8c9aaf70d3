namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of ListCampaigns.</summary>
public sealed class ListCampaignsRequest
{
    public string? SolutionArn { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}
