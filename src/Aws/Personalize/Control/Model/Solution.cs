namespace Personalization.Aws.Personalize.Control;

/// <summary>A solution (recipe + configuration).</summary>
public sealed class Solution
{
    public string? Name { get; set; }

    public string? SolutionArn { get; set; }

    public bool? PerformHPO { get; set; }

    public bool? PerformAutoML { get; set; }

    public bool? PerformAutoTraining { get; set; }

    public bool? PerformIncrementalUpdate { get; set; }

    public string? RecipeArn { get; set; }

    public string? DatasetGroupArn { get; set; }

    public string? EventType { get; set; }

    public SolutionConfig? SolutionConfig { get; set; }

    public AutoMLResult? AutoMLResult { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }

    public SolutionVersionSummary? LatestSolutionVersion { get; set; }
}
