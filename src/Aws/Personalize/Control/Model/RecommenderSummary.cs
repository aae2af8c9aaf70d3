namespace Personalization.Aws.Personalize.Control;

/// <summary>A recommender in a listing.</summary>
public sealed class RecommenderSummary
{
    public string? Name { get; set; }

    public string? RecommenderArn { get; set; }

    public string? DatasetGroupArn { get; set; }

    public string? RecipeArn { get; set; }

    public RecommenderConfig? RecommenderConfig { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }
}
