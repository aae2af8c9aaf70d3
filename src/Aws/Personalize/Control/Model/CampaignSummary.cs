namespace Personalization.Aws.Personalize.Control;

/// <summary>A campaign in a listing.</summary>
public sealed class CampaignSummary
{
    public string? Name { get; set; }

    public string? CampaignArn { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }

    public string? FailureReason { get; set; }
}
