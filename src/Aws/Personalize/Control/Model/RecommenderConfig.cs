namespace Personalization.Aws.Personalize.Control;

/// <summary>Recommender settings.</summary>
public sealed class RecommenderConfig
{
    public Dictionary<string, string>? ItemExplorationConfig { get; set; }

    public int? MinRecommendationRequestsPerSecond { get; set; }

    public TrainingDataConfig? TrainingDataConfig { get; set; }

    public bool? EnableMetadataWithRecommendations { get; set; }
}
