using System.Diagnostics.Metrics;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// Served responses and backend calls; the cache hit ratio is 1 − backend calls ÷ served. Untagged on purpose: a tag
/// would cost an allocation per request on the cache-hit path.
/// </summary>
internal static class RecommendationMetrics
{
    private static readonly Meter Meter = new("Personalization.Recommendations");

    public static readonly Counter<long> Served = Meter.CreateCounter<long>("recommendations.served", description: "Inference responses served (cache hits and misses)");

    public static readonly Counter<long> BackendCalls = Meter.CreateCounter<long>("recommendations.backend.calls", description: "Backend calls made on cache misses and refreshes");

    public static readonly Counter<long> BackendErrors = Meter.CreateCounter<long>("recommendations.backend.errors", description: "Backend calls that failed");
}
