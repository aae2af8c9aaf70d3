namespace Personalization.Aws.Personalize.Control;

/// <summary>Hyperparameters chosen by HPO.</summary>
public sealed class TunedHPOParams
{
    public Dictionary<string, string>? AlgorithmHyperParameters { get; set; }
}
