namespace Personalization.Grains.Experiments;

/// <summary>
/// How an experiment was configured. Both are served by the built-in engine: CloudWatch Evidently was retired on
/// 2025-10-16, so <see cref="Evidently"/> only keeps existing configs working and names the matchedExperiment type.
/// </summary>
public enum ExperimentMethod
{
    Evidently,
    Builtin,
}
