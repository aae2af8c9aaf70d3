using Personalization.Grains.Recommendations;
using Personalization.Runtime;

namespace Personalization.Grains.Users;

/// <summary>
/// One user of a namespace, keyed <c>{namespace}/{userId}</c>: resolves the user's context and experiment arm,
/// holds the user's recently served responses, and sees the user's events.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>A cached response when one is fresh, else one fetched (once per key, however many ask at once).</summary>
    ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationRequest request);

    /// <summary>
    /// Records accepted events: recent history, invalidation of cached responses (the next GET reflects the events),
    /// the built-in model's online update, and experiment conversions (explicit, or by a served recommendationId).
    /// </summary>
    Task RecordEventsAsync(UserEvents events);

    /// <summary>The user's recent events, newest last.</summary>
    [ReadOnly]
    Task<IReadOnlyList<UserEvent>> GetRecentEventsAsync();
}
