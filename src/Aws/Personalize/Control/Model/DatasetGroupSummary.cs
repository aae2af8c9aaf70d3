namespace Personalization.Aws.Personalize.Control;

/// <summary>A dataset group in a listing.</summary>
public sealed class DatasetGroupSummary
{
    public string? Name { get; set; }

    public string? DatasetGroupArn { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }

    public string? FailureReason { get; set; }

    public string? Domain { get; set; }
}
