namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of DescribeEventTracker.</summary>
public sealed class DescribeEventTrackerRequest
{
    public string EventTrackerArn { get; set; } = "";
}
