using Personalization.Grains.Recommendations;

namespace Personalization.Grains.Tests.Cluster;

internal static class Queries
{
    /// <summary>A copy of <paramref name="query"/> as a silo on another configuration (or one that lost a name) would send it.</summary>
    public static RecommendationQuery With(this RecommendationQuery query, RecommendationCacheKey? key = null, string? configVersion = null) => new()
    {
        Key = key ?? query.Key,
        Namespace = query.Namespace,
        ConfigVersion = configVersion ?? query.ConfigVersion,
        UserId = query.UserId,
        ItemIds = query.ItemIds,
        FilterParameter = query.FilterParameter,
        FilterValues = query.FilterValues,
        Context = query.Context,
        DecorateFields = query.DecorateFields,
        UserClass = query.UserClass,
        Feature = query.Feature,
        AssignmentReason = query.AssignmentReason,
        MaxAgeSeconds = query.MaxAgeSeconds,
        StaleSeconds = query.StaleSeconds,
    };

    public static byte[] Bytes(this CachedResponse response) => RelayGrain.Flatten(response.Body);
}
