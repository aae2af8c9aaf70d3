namespace Personalization.Aws.Personalize.Control;

/// <summary>A domain recommender.</summary>
public sealed class Recommender
{
    public string? RecommenderArn { get; set; }

    public string? DatasetGroupArn { get; set; }

    public string? Name { get; set; }

    public string? RecipeArn { get; set; }

    public RecommenderConfig? RecommenderConfig { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }

    public string? Status { get; set; }

    public string? FailureReason { get; set; }

    public Dictionary<string, double>? ModelMetrics { get; set; }
}
