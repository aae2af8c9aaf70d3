namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of ListEventTrackers.</summary>
public sealed class ListEventTrackersRequest
{
    public string? DatasetGroupArn { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}
