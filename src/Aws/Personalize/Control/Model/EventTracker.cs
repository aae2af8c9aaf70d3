namespace Personalization.Aws.Personalize.Control;

/// <summary>An event tracker; TrackingId is what PutEvents needs.</summary>
public sealed class EventTracker
{
    public string? Name { get; set; }

    public string? EventTrackerArn { get; set; }

    public string? AccountId { get; set; }

    public string? TrackingId { get; set; }

    public string? DatasetGroupArn { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }
}
