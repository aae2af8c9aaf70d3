namespace Personalization.Grains.Recommendations;

/// <summary>
/// A response ready to write: the UTF-8 body serialized once, its strong ETag (quoted) and Cache-Control value.
/// Shared by every request that hits it, so it is immutable.
/// </summary>
public sealed class CachedResponse(byte[] body, string etag, string? cacheControl, int maxAgeSeconds, string? variation = null, string? matchedExperimentFeature = null, string? recommendationId = null)
{
    public byte[] Body { get; } = body;

    public string ETag { get; } = etag;

    public string? CacheControl { get; } = cacheControl;

    public int MaxAgeSeconds { get; } = maxAgeSeconds;

    /// <summary>The variation that produced the response.</summary>
    public string? Variation { get; } = variation;

    /// <summary>Set when the response was served as an experiment arm (counts an exposure when served).</summary>
    public string? MatchedExperimentFeature { get; } = matchedExperimentFeature;

    /// <summary>The backend's recommendationId; events that quote it convert for the experiment that served it.</summary>
    public string? RecommendationId { get; } = recommendationId;
}
