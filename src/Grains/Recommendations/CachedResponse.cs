namespace Personalization.Grains.Recommendations;

/// <summary>
/// A response ready to write: the UTF-8 body, its strong ETag (quoted) and Cache-Control value. The body is held as
/// segments: the bytes written for this response, interleaved with the catalog's own metadata bytes, which are shared
/// by every response that decorates the same item instead of being copied into each (that is most of a body's size).
/// Shared by every request that hits it and never changed, so it crosses grain calls as <see cref="ImmutableAttribute"/>:
/// a call inside one silo passes the reference instead of deep-copying the body.
/// </summary>
[GenerateSerializer, Immutable, Alias("personalization.CachedResponse")]
public sealed class CachedResponse
{
    public CachedResponse(byte[] body, string etag, string? cacheControl, int maxAgeSeconds, string? variation = null, string? matchedExperimentFeature = null, string? recommendationId = null)
        : this(new SerializedBody(body), etag, cacheControl, maxAgeSeconds, variation, matchedExperimentFeature, recommendationId)
    {
    }

    public CachedResponse(SerializedBody body, string etag, string? cacheControl, int maxAgeSeconds, string? variation = null, string? matchedExperimentFeature = null, string? recommendationId = null, string source = ResponseSources.Primary)
    {
        _source = source;
        Body = body;
        ETag = etag;
        CacheControl = cacheControl;
        MaxAgeSeconds = maxAgeSeconds;
        Variation = variation;
        MatchedExperimentFeature = matchedExperimentFeature;
        RecommendationId = recommendationId;
    }

    [Id(0)]
    public SerializedBody Body { get; }

    [Id(1)]
    public string ETag { get; }

    [Id(2)]
    public string? CacheControl { get; }

    [Id(3)]
    public int MaxAgeSeconds { get; }

    /// <summary>The variation that produced the response.</summary>
    [Id(4)]
    public string? Variation { get; }

    /// <summary>Set when the response was served as an experiment arm (counts an exposure when served).</summary>
    [Id(5)]
    public string? MatchedExperimentFeature { get; }

    /// <summary>The backend's recommendationId; events that quote it convert for the experiment that served it.</summary>
    [Id(6)]
    public string? RecommendationId { get; }

    // A silo of the previous version (rolling deploy) sends no source: its answers were all primary.
    [Id(7)]
    private readonly string? _source;

    /// <summary>What served it: <c>primary</c>, <c>fallback:N:{type}</c>, <c>stale</c> or <c>unprocessed</c> (the X-Personalization-Source header).</summary>
    public string Source => _source ?? ResponseSources.Primary;

    public bool IsPrimary => _source is null or ResponseSources.Primary;

    /// <summary>
    /// This primary answer served past its expiry because the backend failed: the same items, <c>"source":"stale"</c>
    /// added to the body (so the ETag changes) and the short Cache-Control of non-primary answers.
    /// </summary>
    public CachedResponse AsStale(string? cacheControl, int maxAgeSeconds)
    {
        var body = ResponseSerializer.WithSource(Body, ResponseSources.Stale);
        return new CachedResponse(body, ResponseSerializer.StrongETag(body), cacheControl, maxAgeSeconds, Variation, MatchedExperimentFeature, RecommendationId, ResponseSources.Stale);
    }
}

/// <summary>The values of X-Personalization-Source and of the body's <c>source</c>.</summary>
public static class ResponseSources
{
    public const string Primary = "primary";

    public const string Stale = "stale";

    /// <summary>The primary's answer as the backend gave it, because the recommender's post-processor failed.</summary>
    public const string Unprocessed = "unprocessed";

    /// <summary><paramref name="position"/> counts from 1 in the variation's <c>fallbacks</c>; the built-in last resort comes after them.</summary>
    public static string Fallback(int position, string type) =>
        "fallback:" + position.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + type;
}
