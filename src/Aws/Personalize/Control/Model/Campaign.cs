namespace Personalization.Aws.Personalize.Control;

/// <summary>A deployed solution version.</summary>
public sealed class Campaign
{
    public string? Name { get; set; }

    public string? CampaignArn { get; set; }

    public string? SolutionVersionArn { get; set; }

    public int? MinProvisionedTPS { get; set; }

    public CampaignConfig? CampaignConfig { get; set; }

    public string? Status { get; set; }

    public string? FailureReason { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }
}
