namespace Personalization.Aws.Personalize.Control;

/// <summary>An event tracker in a listing.</summary>
public sealed class EventTrackerSummary
{
    public string? Name { get; set; }

    public string? EventTrackerArn { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }
}
