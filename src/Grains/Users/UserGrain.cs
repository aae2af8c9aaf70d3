using Personalization.Grains.Configuration;
using Personalization.Grains.Experiments;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Runtime;

namespace Personalization.Grains.Users;

/// <summary>
/// Serves a user's recommendations from the responses it holds; a miss goes through the pipeline once per key.
/// Experiment exposures are recorded when an arm's response is first served to the user; state writes are coalesced
/// by a timer and flushed on deactivation.
/// </summary>
[GrainType("user")]
public sealed class UserGrain(
    RecommendationPipeline pipeline,
    BuiltInModelStore models,
    [PersistentState("user")] IPersistentState<UserState> state) : Grain, IUserGrain
{
    public const int MaxRecentEvents = 50;
    private const int MaxServedExperimentResponses = 20;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private WriteBehind<UserState> _writes = null!;

    private ResponseCache<RecommendationCacheKey> _responses = null!;
    private ResolvedNamespace? _config;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _responses = new ResponseCache<RecommendationCacheKey>(TimeProvider);
        _writes = new WriteBehind<UserState>(state, RegisterGrainTimer, FlushInterval);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writes.FlushAsync(cancellationToken);

    public ValueTask<CachedResponse> GetRecommendationsAsync(RecommendationRequest request)
    {
        // A new configuration may change what any key means: start afresh.
        if (!ReferenceEquals(_config, request.Namespace))
        {
            _responses.Clear();
            _config = request.Namespace;
        }

        var prepared = pipeline.Prepare(request);
        var response = pipeline.ServeAsync(_responses, prepared);

        return prepared.IsExperimentArm ? RecordExposureAsync(response, prepared) : response;
    }

    private async ValueTask<CachedResponse> RecordExposureAsync(ValueTask<CachedResponse> pending, PreparedRecommendation prepared)
    {
        var response = await pending.ConfigureAwait(true);
        var feature = prepared.Experiment!.Feature;
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

        if (state.State.Exposures.TryAdd(feature, prepared.Assignment.VariationKey))
        {
            _writes.MarkDirty();
            await GrainFactory.GetGrain<IExperimentGrain>(ExperimentGrain.Key(prepared.Request.Namespace.Key, feature))
                .RecordExposureAsync(prepared.Assignment.VariationKey).ConfigureAwait(true);
        }

        return response;
    }

    public static string Key(string ns, string userId) => ns + "/" + userId;

    public async Task RecordEventsAsync(UserEvents events)
    {
        _responses.Clear();
        var user = GetPrimaryKeyString()[(events.Namespace.Key.Length + 1)..];
        var model = models.Get(events.Namespace.Key);
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
            await ConvertAsync(events.Namespace.Key, conversion.Experiment.Feature, conversion.Metric, conversion.Value).ConfigureAwait(true);
        }

        // An event quoting a recommendationId served under an experiment converts for it (first metric, event value or 1).
        foreach (var e in events.Events)
        {
            if (e.RecommendationId is { } id && state.State.ServedExperimentResponses.FirstOrDefault(p => p.Key == id).Value is { } feature
                && ExperimentRegistry.Find(events.Namespace, feature) is { } experiment)
            {
                await ConvertAsync(events.Namespace.Key, feature, experiment.Metrics[0].Name, e.EventValue ?? 1).ConfigureAwait(true);
            }
        }
    }

    public Task<IReadOnlyList<UserEvent>> GetRecentEventsAsync() => Task.FromResult<IReadOnlyList<UserEvent>>(state.State.RecentEvents.ToArray());

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
