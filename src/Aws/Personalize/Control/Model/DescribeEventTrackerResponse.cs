namespace Personalization.Aws.Personalize.Control;

/// <summary>Output of DescribeEventTracker.</summary>
public sealed class DescribeEventTrackerResponse
{
    public EventTracker? EventTracker { get; set; }
}
