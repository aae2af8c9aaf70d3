using Personalization.Grains.Context;

namespace Personalization.Grains.Configuration;

/// <summary>
/// A variation with inheritance applied (root → namespace → recommender → variation, whole-object
/// replacement). Arn is set for personalize-* and lambda; EndpointName for sagemaker; Url for http;
/// Builtin for builtin. LegacyFilterValues is the `filter.autoDynamicFilterValues` form the original code read.
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
    AutoContextConfig? LegacyFilterValues)
{
    public CachePolicy CachePolicyFor(UserClass userClass) => CacheControl.For(userClass);
}
