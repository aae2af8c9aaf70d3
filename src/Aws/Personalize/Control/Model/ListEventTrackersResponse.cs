namespace Personalization.Aws.Personalize.Control;

/// <summary>One page of event trackers.</summary>
public sealed class ListEventTrackersResponse
{
    public List<EventTrackerSummary> EventTrackers { get; set; } = [];

    public string? NextToken { get; set; }
}
