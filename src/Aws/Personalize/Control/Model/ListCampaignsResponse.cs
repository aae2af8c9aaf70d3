namespace Personalization.Aws.Personalize.Control;

/// <summary>One page of campaigns.</summary>
public sealed class ListCampaignsResponse
{
    public List<CampaignSummary> Campaigns { get; set; } = [];

    public string? NextToken { get; set; }
}
