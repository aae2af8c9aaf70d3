using Personalization.Grains.Configuration;
using Personalization.Grains.Experiments;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Storage;

namespace Personalization.Grains.Users;

/// <summary>
/// Serves a user's recommendations from the responses it holds; a miss goes through the pipeline once per key.
/// Experiment exposures are recorded when an arm's response is first served to the user; state writes are coalesced
/// by a timer and flushed on deactivation.
/// </summary>
/// <remarks>
/// Configuration versions: the calling silo prepares each query under its own configuration and names that version;
/// cached answers are keyed by it, so an answer is never served under another version, and a miss is kept only when
/// the calling silo and this one agree (see <see cref="RecommendationPipeline.ServeAsync"/>). Entries of a version no
/// caller names any more age out (max-age, least recently used).
/// </remarks>
public sealed class UserGrain(
    RecommendationPipeline pipeline,
    BuiltInModelStore models,
    ConfigurationStore configuration,
    TimeProvider time,
    [PersistentState("user")] IPersistentState<UserState> state) : Grain, IUserGrain
{
    public const int MaxRecentEvents = 50;
    private const int MaxServedExperimentResponses = 20;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private WriteBehind<UserState> _writes = null!;
    private ResponseCache<VersionedCacheKey> _responses = null!;

    public static string Key(string ns, string userId) => ns + "/" + userId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _responses = new ResponseCache<VersionedCacheKey>(time);
        _writes = new WriteBehind<UserState>(state, this, FlushInterval);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writes.FlushAsync(cancellationToken);

    public ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationQuery query)
    {
        var response = pipeline.ServeAsync(_responses, query);
        return query.ExposedFeature is { } feature ? RecordExposureAsync(response, query.Namespace, feature, query.Key.Variation) : response;
    }

    private async ValueTask<CachedResponse> RecordExposureAsync(ValueTask<CachedResponse> pending, string ns, string feature, string variation)
    {
        var response = await pending.ConfigureAwait(true);

        // A fallback answered instead of the arm: the user was not exposed to it. (A stale answer is the arm's own.)
        if (response.MatchedExperimentFeature is null)
        {
            return response;
        }

        if (response.RecommendationId is { } recommendationId && !state.State.ServedExperimentResponses.Any(p => p.Key == recommendationId))
        {
            var served = state.State.ServedExperimentResponses;
            served.Add(new(recommendationId, feature));
            if (served.Count > MaxServedExperimentResponses)
            {
                served.RemoveAt(0);
            }

            _writes.MarkDirty();
        }

        if (state.State.Exposures.TryAdd(feature, variation))
        {
            _writes.MarkDirty();
            await GrainFactory.GetGrain<IExperimentGrain>(ExperimentGrain.Key(ns, feature)).RecordExposureAsync(variation).ConfigureAwait(true);
        }

        return response;
    }

    public async Task RecordEventsAsync(UserEvents events)
    {
        _responses.Clear();
        var user = this.GetPrimaryKeyString()[(events.Namespace.Length + 1)..];
        var model = models.Get(events.Namespace);
        var recent = state.State.RecentEvents;
        foreach (var e in events.Events)
        {
            recent.Add(e);
            if (model is not null && e.ItemId is { } itemId)
            {
                model.Observe(user, itemId, e.EventType, e.SentAt, e.EventValue);
            }
        }

        if (recent.Count > MaxRecentEvents)
        {
            recent.RemoveRange(0, recent.Count - MaxRecentEvents);
        }

        _writes.MarkDirty();
        foreach (var conversion in events.Conversions)
        {
            await ConvertAsync(events.Namespace, conversion.Feature, conversion.Metric, conversion.Value).ConfigureAwait(true);
        }

        // An event quoting a recommendationId served under an experiment converts for it (first metric, event value or 1).
        var ns = configuration.Current is { } snapshot && snapshot.TryGetNamespace(events.Namespace, out var resolved) ? resolved : null;
        foreach (var e in events.Events)
        {
            if (ns is not null && e.RecommendationId is { } id && state.State.ServedExperimentResponses.FirstOrDefault(p => p.Key == id).Value is { } feature
                && ExperimentRegistry.Find(ns, feature) is { } experiment)
            {
                await ConvertAsync(events.Namespace, feature, experiment.Metrics[0].Name, e.EventValue ?? 1).ConfigureAwait(true);
            }
        }
    }

    public Task<UserEvent[]> GetRecentEventsAsync() => Task.FromResult(state.State.RecentEvents.ToArray());

    /// <summary>Credits the arm the user was exposed to; a user never exposed to the experiment converts nothing.</summary>
    private Task ConvertAsync(string ns, string feature, string metric, double value)
    {
        if (!state.State.Exposures.TryGetValue(feature, out var arm))
        {
            return Task.CompletedTask;
        }

        var newlyConverted = state.State.Conversions.Add(feature + "/" + metric);
        _writes.MarkDirty();
        return GrainFactory.GetGrain<IExperimentGrain>(ExperimentGrain.Key(ns, feature)).RecordConversionAsync(arm, metric, value, newlyConverted);
    }
}
