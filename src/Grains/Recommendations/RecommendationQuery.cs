using Personalization.Grains.Configuration;
using Personalization.Grains.Experiments;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// What a user or related-items grain needs from the silo that took an inference request: the cache
/// <see cref="Key"/> (a hit needs nothing else) and, for a miss, names and values only — never configuration objects or
/// request headers. Variation choice, context and filter values were resolved by the calling silo; the grain resolves
/// the names against its own silo's configuration snapshot (<see cref="RecommendationPipeline.Resolve"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("personalization.RecommendationQuery")]
public sealed class RecommendationQuery
{
    [Id(0)]
    public required RecommendationCacheKey Key { get; init; }

    [Id(1)]
    public required string Namespace { get; init; }

    /// <summary>The content hash of the configuration the caller prepared the query with.</summary>
    [Id(2)]
    public required string ConfigVersion { get; init; }

    [Id(3)]
    public string? UserId { get; init; }

    /// <summary>rerank-items: the items to order.</summary>
    [Id(4)]
    public string[]? ItemIds { get; init; }

    /// <summary>The <c>filter</c> query parameter as sent (a name or an ARN).</summary>
    [Id(5)]
    public string? FilterParameter { get; init; }

    [Id(6)]
    public Dictionary<string, string>? FilterValues { get; init; }

    [Id(7)]
    public Dictionary<string, string>? Context { get; init; }

    [Id(8)]
    public string[]? DecorateFields { get; init; }

    [Id(9)]
    public UserClass UserClass { get; init; }

    /// <summary>The <c>feature</c> query parameter: which of the recommender's experiments applies.</summary>
    [Id(10)]
    public string? Feature { get; init; }

    [Id(11)]
    public AssignmentReason AssignmentReason { get; init; }

    /// <summary>Seconds the response may be reused, and served stale while one refresh runs (the caller's policy).</summary>
    [Id(12)]
    public int MaxAgeSeconds { get; init; }

    [Id(13)]
    public int StaleSeconds { get; init; }

    /// <summary>Seconds past expiry an answer may stand in when the backend fails (staleIfError).</summary>
    [Id(14)]
    public int StaleIfErrorSeconds { get; init; }

    /// <summary>Seconds a stale or fallback answer is reused before the primary is tried again.</summary>
    [Id(15)]
    public int StandInMaxAgeSeconds { get; init; }

    /// <summary>Cache-Control of stale and fallback answers.</summary>
    [Id(16)]
    public string? StandInCacheControl { get; init; }

    /// <summary>Set when serving this response counts as an exposure of an experiment arm: the feature.</summary>
    public string? ExposedFeature => Key.MatchedExperiment;
}
