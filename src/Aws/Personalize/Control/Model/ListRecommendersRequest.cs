namespace Personalization.Aws.Personalize.Control;

/// <summary>Input of ListRecommenders.</summary>
public sealed class ListRecommendersRequest
{
    public string? DatasetGroupArn { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}
