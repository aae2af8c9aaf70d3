using Personalization.Grains.Configuration;
using Personalization.Grains.Experiments;
using Personalization.Grains.Recommendations;
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
    [PersistentState("user")] IPersistentState<UserState> state) : Grain, IUserGrain
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private ResponseCache<RecommendationCacheKey> _responses = null!;
    private ResolvedNamespace? _config;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _responses = new ResponseCache<RecommendationCacheKey>(TimeProvider);
        RegisterGrainTimer(FlushAsync, FlushInterval, FlushInterval);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

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
        if (state.State.Exposures.TryAdd(feature, prepared.Assignment.VariationKey))
        {
            _dirty = true;
            await GrainFactory.GetGrain<IExperimentGrain>(ExperimentKey(prepared.Request.Namespace.Key, feature))
                .RecordExposureAsync(prepared.Assignment.VariationKey).ConfigureAwait(true);
        }

        return response;
    }

    public static string ExperimentKey(string ns, string feature) => ns + "/" + feature;

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        await state.WriteStateAsync(cancellationToken).ConfigureAwait(true);
    }
}
