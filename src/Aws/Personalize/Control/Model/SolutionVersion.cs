namespace Personalization.Aws.Personalize.Control;

/// <summary>A trained solution version.</summary>
public sealed class SolutionVersion
{
    public string? Name { get; set; }

    public string? SolutionVersionArn { get; set; }

    public string? SolutionArn { get; set; }

    public bool? PerformHPO { get; set; }

    public bool? PerformAutoML { get; set; }

    public bool? PerformIncrementalUpdate { get; set; }

    public string? RecipeArn { get; set; }

    public string? EventType { get; set; }

    public string? DatasetGroupArn { get; set; }

    public SolutionConfig? SolutionConfig { get; set; }

    public double? TrainingHours { get; set; }

    public string? TrainingMode { get; set; }

    public TunedHPOParams? TunedHPOParams { get; set; }

    public string? Status { get; set; }

    public string? FailureReason { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }

    public string? TrainingType { get; set; }
}
