namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of AmazonPersonalize.ListDatasetGroups.</summary>
public sealed class ListDatasetGroupsRequest
{
    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}
