namespace Personalization.Aws.Personalize.Control;

/// <summary>Dataset columns used or excluded in training.</summary>
public sealed class TrainingDataConfig
{
    public Dictionary<string, List<string>>? ExcludedDatasetColumns { get; set; }

    public Dictionary<string, List<string>>? IncludedDatasetColumns { get; set; }
}
