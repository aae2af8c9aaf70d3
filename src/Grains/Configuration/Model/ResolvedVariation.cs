using Personalization.Grains.Context;

namespace Personalization.Grains.Configuration;

/// <summary>
/// A variation with inheritance applied (root → namespace → recommender → variation, whole-object
/// replacement). Arn is set for personalize-* and lambda (a function name or ARN); EndpointName for sagemaker; Url for http;
/// Builtin for builtin. LegacyFilterValues is the `filter.autoDynamicFilterValues` form the original code read.
/// Fallbacks (extension) are inline variations tried in order when this one fails; they never have fallbacks of their own.
/// FallbackToTrending: when every fallback failed too, the namespace's built-in trending list answers (if it has a model).
/// MaxRequestsPerSecond: the backend's quota for the whole cluster, guarded per silo (null: unguarded).
/// </summary>
public sealed record ResolvedVariation(
    string Key,
    VariationType Type,
    string? Arn,
    string? EndpointName,
    string? Url,
    BuiltinOptions? Builtin,
    CacheControlConfig CacheControl,
    IReadOnlyList<FilterConfig> Filters,
    AutoContextConfig AutoContext,
    ItemMetadataConfig? InferenceItemMetadata,
    AutoContextConfig? LegacyFilterValues,
    IReadOnlyList<ResolvedVariation>? Fallbacks = null,
    bool FallbackToTrending = true,
    int? MaxRequestsPerSecond = null)
{
    public IReadOnlyList<ResolvedVariation> FallbackChain => Fallbacks ?? [];

    /// <summary>lambda: the version or alias to invoke (`qualifier`); null for the function's own (or the ARN's) qualifier.</summary>
    public string? Qualifier { get; init; }

    /// <summary>personalize-*: the `promotions` sent with GetRecommendations (at most one, as Personalize allows).</summary>
    public IReadOnlyList<PromotionConfig> Promotions { get; init; } = [];

    /// <summary>The variation's JSON object (compact, inherited objects filled in); lambda and sagemaker payloads carry it as `variation`.</summary>
    public string? Document { get; init; }

    /// <summary>The breaker, budget and quota of a remote backend are shared by every variation naming it; null for built-in.</summary>
    public string? BackendKey => Type switch
    {
        VariationType.Builtin => null,
        VariationType.Http => Url,
        VariationType.SageMaker => EndpointName,
        _ => Arn,
    };

    public string TypeName => Type switch
    {
        VariationType.PersonalizeCampaign => "personalize-campaign",
        VariationType.PersonalizeRecommender => "personalize-recommender",
        VariationType.Lambda => "lambda",
        VariationType.SageMaker => "sagemaker",
        VariationType.Http => "http",
        _ => "builtin",
    };

    public CachePolicy CachePolicyFor(UserClass userClass) => CacheControl.For(userClass);
}
