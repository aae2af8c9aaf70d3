using System.Text.Json;
using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Context;
using Personalization.Grains.Experiments;
using Personalization.Grains.Items;
using Personalization.Grains.Recommenders;
using Personalization.Runtime;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// The steps of an inference request that do not depend on which grain runs them: choosing the variation
/// (experiments), resolving context and filter values, picking the cache policy (<see cref="Prepare"/>), and, on a
/// miss, calling the backend, decorating from item grains and serializing once (<see cref="FetchAsync"/>).
/// </summary>
public sealed class RecommendationPipeline(
    RecommenderBackends backends,
    AutoContextResolver autoContext,
    ExperimentRegistry experiments,
    IGrainFactory grains)
{
    public PreparedRecommendation Prepare(RecommendationRequest request)
    {
        var recommender = request.Recommender;
        var options = request.Options;
        var experiment = ExperimentRegistry.Select(recommender, options.Feature);
        var assignment = experiment is null
            ? Assignment.NoExperiment(recommender.DefaultVariation.Key)
            : experiments.For(request.Namespace).Assign(experiment, request.UserId);
        if (!recommender.TryGetVariation(assignment.VariationKey, out var variation))
        {
            variation = recommender.DefaultVariation;
        }

        var hasUser = request.UserId is not null;
        var context = options.Context;
        if (!variation.AutoContext.IsEmpty)
        {
            var resolved = autoContext.Resolve(variation.AutoContext, request.Headers);
            if (!resolved.IsEmpty)
            {
                context = CanonicalMap.From(ContextMerging.InferenceContext(context.Values, resolved));
            }
        }

        // As the original: filter values only travel with a filter.
        var filter = FilterSelection.Choose(variation, options.Filter, hasUser);
        var filterValues = CanonicalMap.Empty;
        if (filter is not null)
        {
            filterValues = options.FilterValues;
            if (FilterSelection.DynamicValueRules(variation, filter) is { IsEmpty: false } rules)
            {
                var resolved = autoContext.Resolve(rules, request.Headers);
                if (!resolved.IsEmpty)
                {
                    filterValues = CanonicalMap.From(ContextMerging.FilterValues(filterValues.Values, resolved));
                }
            }
        }

        var userClass = !hasUser ? UserClass.NoUserSpecified : options.SyntheticUser ? UserClass.SyntheticUserSpecified : UserClass.UserSpecified;
        var matched = experiment is not null && assignment.Reason == AssignmentReason.ExperimentRuleMatch ? experiment.Feature : null;
        return new PreparedRecommendation
        {
            Request = request,
            Variation = variation,
            Experiment = experiment,
            Assignment = assignment,
            Filter = filter,
            FilterValues = filterValues,
            Context = context,
            Policy = variation.CachePolicyFor(userClass),
            Key = new RecommendationCacheKey(
                recommender.Action,
                recommender.Name,
                variation.Key,
                request.ItemId,
                request.ItemIdsKey,
                options.NumResults,
                filter?.Name,
                filterValues.Canonical,
                context.Canonical,
                options.DecorateItems,
                options.DecorateFieldsKey,
                matched),
        };
    }

    /// <summary>Serves <paramref name="prepared"/> from <paramref name="cache"/>, fetching on a miss under the variation's cache policy.</summary>
    public ValueTask<CachedResponse> ServeAsync(ResponseCache<RecommendationCacheKey> cache, PreparedRecommendation prepared)
    {
        RecommendationMetrics.Served.Add(1);
        return cache.GetOrFetchAsync(
            prepared.Key,
            TimeSpan.FromSeconds(prepared.Policy.EffectiveMaxAge),
            TimeSpan.FromSeconds(prepared.Policy.StaleWhileRevalidate ?? 0),
            (Pipeline: this, Prepared: prepared),
            static (s, ct) => s.Pipeline.FetchAsync(s.Prepared, ct),
            CancellationToken.None);
    }

    public async Task<CachedResponse> FetchAsync(PreparedRecommendation prepared, CancellationToken cancellationToken)
    {
        var request = prepared.Request;
        var ns = request.Namespace;
        var isRerank = request.Recommender.Action == RecommenderAction.RerankItems;
        var decorate = request.Options.DecorateItems;
        var metadataColumns = decorate && prepared.Variation.InferenceItemMetadata is { Type: ItemMetadataType.Personalize, ItemColumns.Count: > 0 } personalize
            ? personalize.ItemColumns
            : null;
        var backendRequest = new BackendRequest(
            request.Recommender,
            prepared.Variation,
            request.UserId,
            request.ItemId,
            request.ItemIds,
            isRerank ? request.ItemIds?.Count ?? 0 : request.Options.NumResults,
            prepared.Filter,
            prepared.FilterValues.Values,
            prepared.Context.Values,
            metadataColumns);

        RecommendationMetrics.BackendCalls.Add(1);
        RecommenderResult result;
        try
        {
            result = await backends.For(prepared.Variation).InvokeAsync(backendRequest, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            RecommendationMetrics.BackendErrors.Add(1);
            throw;
        }

        var count = isRerank ? result.Items.Count : Math.Min(result.Items.Count, request.Options.NumResults);
        var metadata = !decorate ? []
            : ns.InferenceItemMetadata is { Type: ItemMetadataType.LocalDb } ? await DecorateAsync(ns.Key, result.Items, count).ConfigureAwait(false)
            : result.Items.Take(count).Select(item => item.Metadata).ToArray();

        var body = ResponseSerializer.Serialize(
            result,
            personalizedRanking: isRerank,
            maxItems: count,
            metadata,
            request.Options.DecorateFields,
            prepared.IsExperimentArm ? writer => WriteMatchedExperiment(writer, prepared) : null);
        return new CachedResponse(
            body,
            ResponseSerializer.StrongETag(body),
            prepared.Policy.HeaderValue,
            prepared.Policy.EffectiveMaxAge,
            prepared.Variation.Key,
            prepared.IsExperimentArm ? prepared.Experiment!.Feature : null,
            result.RecommendationId);
    }

    private async Task<ReadOnlyMemory<byte>[]> DecorateAsync(string ns, IReadOnlyList<RecommendedItem> items, int count)
    {
        var lookups = new ValueTask<ReadOnlyMemory<byte>>[count];
        for (var i = 0; i < count; i++)
        {
            lookups[i] = grains.GetGrain<IItemGrain>(ItemGrain.Key(ns, items[i].ItemId)).GetMetadataAsync();
        }

        var metadata = new ReadOnlyMemory<byte>[count];
        var missing = 0;
        for (var i = 0; i < count; i++)
        {
            metadata[i] = await lookups[i].ConfigureAwait(false);
            missing += metadata[i].IsEmpty ? 1 : 0;
        }

        CatalogStore.CountMissing(ns, missing);
        return metadata;
    }

    private static void WriteMatchedExperiment(Utf8JsonWriter writer, PreparedRecommendation prepared)
    {
        writer.WritePropertyName("matchedExperiment");
        MatchedExperiment.Write(writer, prepared.Experiment!, prepared.Assignment);
    }
}
