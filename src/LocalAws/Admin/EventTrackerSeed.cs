namespace Personalization.LocalAws.Admin;

/// <summary>An event tracker with the dataset group it belongs to (the List summary shape omits it).</summary>
public sealed class EventTrackerSeed
{
    public string DatasetGroupArn { get; set; } = "";

    public string? Name { get; set; }

    public string? EventTrackerArn { get; set; }

    public string? Status { get; set; }

    /// <summary>What DescribeEventTracker returns as trackingId; derived from the ARN when left out.</summary>
    public string? TrackingId { get; set; }
}
