using System.Diagnostics.Metrics;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// Served responses and backend calls; the cache hit ratio is 1 − backend calls ÷ served. Served is untagged on purpose:
/// a tag would cost an allocation per request on the cache-hit path.
/// </summary>
internal static class RecommendationMetrics
{
    public static readonly Meter Meter = new("Personalization.Recommendations");

    public static readonly Counter<long> Served = Meter.CreateCounter<long>("recommendations.served", description: "Inference responses served (cache hits and misses)");

    // The backend instruments are on the miss path only, so they carry the backend's type (personalize-campaign,
    // builtin, http, ...): a handful of series, not one per recommender.
    public static readonly Counter<long> BackendCalls = Meter.CreateCounter<long>("recommendations.backend.calls", description: "Backend calls made on cache misses and refreshes, by backend type");

    public static readonly Counter<long> BackendErrors = Meter.CreateCounter<long>("recommendations.backend.errors", description: "Backend calls that failed, by backend type");

    public static readonly Histogram<double> BackendDuration = Meter.CreateHistogram<double>("recommendations.backend.duration", "s", "Time a backend call took (guard, retries and budget included), by backend type and outcome");

    // Answers by source: primary = served − stale − fallback, so the primary hit path adds no measurement.
    public static readonly Counter<long> AnsweredStale = Meter.CreateCounter<long>("recommendations.answers.stale", description: "Responses served from an expired answer because the backend failed (staleIfError)");

    public static readonly Counter<long> AnsweredByFallback = Meter.CreateCounter<long>("recommendations.answers.fallback", description: "Responses served by a fallback variation or the built-in trending last resort");

    public static readonly Counter<long> FallbackErrors = Meter.CreateCounter<long>("recommendations.fallback.errors", description: "Fallback variations that failed in their turn");

    public static readonly Counter<long> FallbacksSkipped = Meter.CreateCounter<long>("recommendations.fallback.skipped", description: "Remote fallbacks not tried because the request's budget was spent");

    public static readonly Counter<long> PostProcessorCalls = Meter.CreateCounter<long>("recommendations.postprocessor.calls", description: "Answers handed to a recommender's responsePostProcessor");

    public static readonly Counter<long> PostProcessorFailures = Meter.CreateCounter<long>("recommendations.postprocessor.failures", description: "responsePostProcessor calls that failed (the unprocessed answer was served, or the request failed with onError: fail)");
}
