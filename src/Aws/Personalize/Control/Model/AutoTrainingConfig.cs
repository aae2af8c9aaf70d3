namespace Personalization.Aws.Personalize.Control;

/// <summary>Automatic retraining schedule.</summary>
public sealed class AutoTrainingConfig
{
    public string? SchedulingExpression { get; set; }
}
