namespace Personalization.Grains.Configuration;

/// <summary>`inferenceItemMetadata`: where decoration metadata comes from.</summary>
public sealed record ItemMetadataConfig(
    ItemMetadataType Type,
    int SyncIntervalSeconds,
    IReadOnlyList<string> ItemColumns,
    string? Path)
{
    public const int DefaultSyncIntervalSeconds = 300;
}
