namespace Personalization.Aws.Personalize.Control;

/// <summary>One page of recommenders.</summary>
public sealed class ListRecommendersResponse
{
    public List<RecommenderSummary> Recommenders { get; set; } = [];

    public string? NextToken { get; set; }
}
