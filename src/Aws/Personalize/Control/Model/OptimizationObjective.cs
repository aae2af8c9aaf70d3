namespace Personalization.Aws.Personalize.Control;

/// <summary>Secondary optimisation objective.</summary>
public sealed class OptimizationObjective
{
    public string? ItemAttribute { get; set; }

    public string? ObjectiveSensitivity { get; set; }
}
