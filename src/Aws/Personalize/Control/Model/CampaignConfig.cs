namespace Personalization.Aws.Personalize.Control;

/// <summary>Campaign settings.</summary>
public sealed class CampaignConfig
{
    public Dictionary<string, string>? ItemExplorationConfig { get; set; }

    public bool? EnableMetadataWithRecommendations { get; set; }

    public bool? SyncWithLatestSolutionVersion { get; set; }
}
