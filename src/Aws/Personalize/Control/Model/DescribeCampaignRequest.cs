namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of DescribeCampaign.</summary>
public sealed class DescribeCampaignRequest
{
    public string CampaignArn { get; set; } = "";
}
