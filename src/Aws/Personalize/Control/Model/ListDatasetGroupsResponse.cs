namespace Personalization.Aws.Personalize.Control;

/// <summary>One page of dataset groups.</summary>
public sealed class ListDatasetGroupsResponse
{
    public List<DatasetGroupSummary> DatasetGroups { get; set; } = [];

    public string? NextToken { get; set; }
}
