namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of ListFilters.</summary>
public sealed class ListFiltersRequest
{
    public string? DatasetGroupArn { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}
