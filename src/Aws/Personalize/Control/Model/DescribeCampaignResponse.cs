namespace Personalization.Aws.Personalize.Control;

/// <summary>Output of DescribeCampaign.</summary>
public sealed class DescribeCampaignResponse
{
    public Campaign? Campaign { get; set; }
}
