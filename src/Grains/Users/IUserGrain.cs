using Personalization.Grains.Recommendations;

namespace Personalization.Grains.Users;

/// <summary>
/// One user of a namespace, keyed <c>{namespace}/{userId}</c>: holds the user's recently served responses, the
/// experiment arms the user was exposed to, and sees the user's events.
/// </summary>
[Alias("personalization.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// A cached response when one is fresh, else one fetched (once per key, however many ask at once). Interleaves:
    /// a hit never waits behind another request's miss, and a miss does not hold the grain while the backend answers.
    /// </summary>
    [AlwaysInterleave, Alias("GetRecommendations")]
    ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationQuery query);

    /// <summary>
    /// Records accepted events: recent history, invalidation of cached responses (the next GET reflects the events),
    /// the built-in model's online update, and experiment conversions (explicit, or by a served recommendationId).
    /// </summary>
    [Alias("RecordEvents")]
    Task RecordEventsAsync(UserEvents events);

    /// <summary>The user's recent events, newest last.</summary>
    [ReadOnly, Alias("GetRecentEvents")]
    Task<UserEvent[]> GetRecentEventsAsync();
}
