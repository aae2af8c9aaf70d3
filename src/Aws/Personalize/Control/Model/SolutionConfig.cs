namespace Personalization.Aws.Personalize.Control;

/// <summary>Solution settings (HPO settings are not modelled here).</summary>
public sealed class SolutionConfig
{
    public string? EventValueThreshold { get; set; }

    public Dictionary<string, string>? AlgorithmHyperParameters { get; set; }

    public Dictionary<string, string>? FeatureTransformationParameters { get; set; }

    public AutoMLConfig? AutoMLConfig { get; set; }

    public OptimizationObjective? OptimizationObjective { get; set; }

    public TrainingDataConfig? TrainingDataConfig { get; set; }

    public AutoTrainingConfig? AutoTrainingConfig { get; set; }
}
