namespace Personalization.Aws.Personalize.Control;

/// <summary>Latest version of a solution.</summary>
public sealed class SolutionVersionSummary
{
    public string? SolutionVersionArn { get; set; }

    public string? Status { get; set; }

    public string? TrainingMode { get; set; }

    public string? TrainingType { get; set; }

    public DateTimeOffset? CreationDateTime { get; set; }

    public DateTimeOffset? LastUpdatedDateTime { get; set; }

    public string? FailureReason { get; set; }
}
