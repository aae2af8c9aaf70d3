using System.Collections.Frozen;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Personalization.Grains.Catalog;
using Personalization.Grains.Configuration;
using Personalization.Grains.Context;
using Personalization.Grains.Diagnostics;
using Personalization.Grains.Experiments;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Recommenders.Lambda;
using Personalization.Grains.Recommenders.Resilience;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// The steps of an inference request. On the silo that took the request, before any grain call: choosing the
/// variation (experiments), resolving context and filter values from the headers, picking the cache policy and key
/// (<see cref="Prepare"/>, then <see cref="ToQuery"/>). In the grain, on a miss: resolving the query's names against
/// this silo's configuration (<see cref="Resolve"/>), calling the backend, decorating from this silo's catalog replica
/// and serializing once (<see cref="FetchAsync"/>).
/// </summary>
public sealed class RecommendationPipeline(
    RecommenderBackends backends,
    AutoContextResolver autoContext,
    ExperimentRegistry experiments,
    CatalogStore catalogs,
    RemoteItemMetadata remoteMetadata,
    ConfigurationStore configuration,
    BuiltInModelStore models,
    BackendGuard guard,
    ResponsePostProcessor postProcessor,
    TimeProvider time)
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
            UserClass = userClass,
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

    /// <summary>The grain call's message for <paramref name="prepared"/>, prepared under configuration <paramref name="configVersion"/>.</summary>
    public static RecommendationQuery ToQuery(PreparedRecommendation prepared, string configVersion)
    {
        var request = prepared.Request;
        var options = request.Options;
        return new RecommendationQuery
        {
            Key = prepared.Key,
            Namespace = request.Namespace.Key,
            ConfigVersion = configVersion,
            UserId = request.UserId,
            ItemIds = request.ItemIds?.ToArray(),
            FilterParameter = options.Filter,
            FilterValues = prepared.FilterValues.IsEmpty ? null : new Dictionary<string, string>(prepared.FilterValues.Values, StringComparer.Ordinal),
            Context = prepared.Context.IsEmpty ? null : new Dictionary<string, string>(prepared.Context.Values, StringComparer.Ordinal),
            DecorateFields = options.DecorateFields?.ToArray(),
            UserClass = prepared.UserClass,
            Feature = options.Feature,
            AssignmentReason = prepared.Assignment.Reason,
            MaxAgeSeconds = prepared.Policy.EffectiveMaxAge,
            StaleSeconds = prepared.Policy.StaleWhileRevalidate ?? 0,
            StaleIfErrorSeconds = prepared.Policy.StaleIfError ?? 0,
            StandInMaxAgeSeconds = prepared.Policy.EffectiveFallbackMaxAge,
            StandInCacheControl = prepared.Policy.FallbackHeaderValue,
        };
    }

    /// <summary>
    /// The query resolved against this silo's live configuration, for a miss. Silos reload at slightly different
    /// times: when the names no longer (or not yet) resolve here, the request fails as retryable (503, Retry-After),
    /// never as a wrong answer.
    /// </summary>
    public PreparedRecommendation Resolve(RecommendationQuery query)
    {
        var key = query.Key;
        if (configuration.Current is not { } snapshot
            || !snapshot.TryGetNamespace(query.Namespace, out var ns)
            || !ns.TryGetRecommender(key.Action, key.Recommender, out var recommender)
            || !recommender.TryGetVariation(key.Variation, out var variation))
        {
            throw new RecommenderBackendException(
                BackendFailure.Unavailable,
                "ConfigurationChanging",
                $"the silo holding this user's grain has not (or no longer) got {key.Action.ToWireName()} recommender '{key.Recommender}' variation '{key.Variation}' in namespace '{query.Namespace}'; silos are switching configuration, retry shortly.",
                TimeSpan.FromSeconds(1));
        }

        var decorateFields = query.DecorateFields is null ? null : query.DecorateFields.ToFrozenSet(StringComparer.Ordinal);
        var request = new RecommendationRequest
        {
            Namespace = ns,
            Recommender = recommender,
            UserId = query.UserId,
            ItemId = key.ItemId,
            ItemIds = query.ItemIds,
            ItemIdsKey = key.ItemIds,
            Options = new InferenceOptions
            {
                NumResults = key.NumResults,
                Filter = query.FilterParameter,
                DecorateItems = key.Decorate,
                DecorateFields = decorateFields,
                DecorateFieldsKey = key.DecorateFields,
                SyntheticUser = query.UserClass == UserClass.SyntheticUserSpecified,
                Feature = query.Feature,
            },
        };
        var experiment = query.AssignmentReason == AssignmentReason.NoExperiment ? null : ExperimentRegistry.Select(recommender, query.Feature);
        return new PreparedRecommendation
        {
            Request = request,
            Variation = variation,
            Experiment = experiment,
            Assignment = new Assignment(key.Variation, query.AssignmentReason == AssignmentReason.ExperimentRuleMatch, query.AssignmentReason),
            Filter = key.Filter is null ? null : FilterSelection.Choose(variation, query.FilterParameter, query.UserId is not null),
            FilterValues = query.FilterValues is null ? CanonicalMap.Empty : CanonicalMap.From(query.FilterValues),
            Context = query.Context is null ? CanonicalMap.Empty : CanonicalMap.From(query.Context),
            Policy = variation.CachePolicyFor(query.UserClass),
            UserClass = query.UserClass,
            Key = key,
        };
    }

    /// <summary>
    /// Serves <paramref name="query"/> from <paramref name="cache"/>, whose entries are keyed by configuration version
    /// and cache key: while silos run two versions (a reload reaches them seconds apart), callers on either version
    /// keep hitting their own entries instead of clearing each other's. A miss resolves the query here and fetches
    /// once per key; a query prepared under another configuration than this silo's is answered but not kept, since
    /// the answer this silo would store for it comes from its own configuration. When the backend fails, an expired
    /// answer within staleIfError stands in, else the variation's fallbacks in order, else the built-in trending list.
    /// </summary>
    public ValueTask<CachedResponse> ServeAsync(ResponseCache<VersionedCacheKey> cache, RecommendationQuery query)
    {
        RecommendationMetrics.Served.Add(1);
        var keep = configuration.Current?.ContentHash == query.ConfigVersion;
        var windows = keep
            ? new CacheWindows(
                TimeSpan.FromSeconds(query.MaxAgeSeconds),
                TimeSpan.FromSeconds(query.StaleSeconds),
                TimeSpan.FromSeconds(query.StaleIfErrorSeconds),
                TimeSpan.FromSeconds(query.StandInMaxAgeSeconds))
            : default;
        var served = cache.GetOrFetchAsync(
            new VersionedCacheKey(query.ConfigVersion, query.Key),
            windows,
            new FetchState(this, query, time.GetTimestamp()),
            Plan,
            CancellationToken.None);

        // A hit completes synchronously: count its source without an await (and without allocating) on that path.
        if (served.IsCompletedSuccessfully)
        {
            CountSource(served.Result);
            return served;
        }

        return CountSourceAsync(served);
    }

    private static readonly FetchPlan<FetchState> Plan = new()
    {
        Primary = static (s, ct) => s.Pipeline.FetchAsync(s.Pipeline.Resolve(s.Query), ct),
        Stale = static (s, failure, expired) => CanStandIn(failure)
            ? expired.AsStale(s.Query.StandInCacheControl, s.Query.StandInMaxAgeSeconds)
            : null,
        Fallback = static (s, failure, ct) => s.Pipeline.FallbackAsync(s, failure, ct),
    };

    /// <summary>The grain call's query and when it arrived (the request's budget runs from then).</summary>
    private readonly record struct FetchState(RecommendationPipeline Pipeline, RecommendationQuery Query, long Started);

    private static async ValueTask<CachedResponse> CountSourceAsync(ValueTask<CachedResponse> pending)
    {
        var response = await pending.ConfigureAwait(false);
        CountSource(response);
        return response;
    }

    private static void CountSource(CachedResponse response)
    {
        if (response.IsPrimary)
        {
            return;
        }

        if (response.Source == ResponseSources.Stale)
        {
            RecommendationMetrics.AnsweredStale.Add(1);
        }
        else if (response.Source != ResponseSources.Unprocessed)
        {
            RecommendationMetrics.AnsweredByFallback.Add(1);
        }
    }

    /// <summary>
    /// Failures another answer may cover: the backend erred, timed out, throttled, its breaker or quota guard refused
    /// the call, its resource is missing or its model not loaded. A request the backend rejected as invalid, or a type
    /// this deployment cannot call, stays an error: another recommender would hide a client's or operator's mistake. So
    /// does a failed post-processor with <c>onError: fail</c>: the request fails as configured (another answer would fail it again).
    /// </summary>
    public static bool CanStandIn(Exception failure) =>
        failure is RecommenderBackendException { IsBackendOutage: true, Code: not ("ConfigurationChanging" or ResponsePostProcessor.FailureCode) };

    private async Task<CachedResponse> FallbackAsync(FetchState state, Exception failure, CancellationToken cancellationToken)
    {
        if (!CanStandIn(failure))
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        var prepared = Resolve(state.Query);
        var chain = prepared.Variation.FallbackChain;

        // The request's budget bounds the primary and its remote fallbacks together: a fallback gets what is left.
        var remaining = guard.RequestBudget - time.GetElapsedTime(state.Started);
        using var budget = remaining > TimeSpan.Zero ? new CancellationTokenSource(remaining, time) : null;
        for (var i = 0; i < chain.Count; i++)
        {
            var fallback = chain[i];

            // The built-in recommender answers from memory: it is tried even when a remote one would no longer fit.
            var isLocal = fallback.Type == VariationType.Builtin;
            if (!isLocal && (budget is null || budget.IsCancellationRequested))
            {
                RecommendationMetrics.FallbacksSkipped.Add(1);
                continue;
            }

            try
            {
                var token = isLocal ? cancellationToken : budget!.Token;
                return await FetchAsync(prepared, fallback, ResponseSources.Fallback(i + 1, fallback.TypeName), token).ConfigureAwait(false);
            }
            catch (RecommenderBackendException)
            {
                // The next fallback is the answer to a fallback's failure, whatever it was: the primary's error is the one reported.
                RecommendationMetrics.FallbackErrors.Add(1);
            }
        }

        if (prepared.Variation.FallbackToTrending && LastResort(prepared) is { } trending)
        {
            try
            {
                return await FetchAsync(prepared, trending, ResponseSources.Fallback(chain.Count + 1, trending.TypeName), cancellationToken).ConfigureAwait(false);
            }
            catch (RecommenderBackendException)
            {
                RecommendationMetrics.FallbackErrors.Add(1);
            }
        }

        ExceptionDispatchInfo.Throw(failure);
        return null!;
    }

    /// <summary>The built-in trending list, when the namespace has a catalog its built-in model is trained from.</summary>
    private ResolvedVariation? LastResort(PreparedRecommendation prepared)
    {
        var ns = prepared.Request.Namespace;
        if (prepared.Variation.Type == VariationType.Builtin
            || ns.InferenceItemMetadata is not { Type: ItemMetadataType.LocalDb }
            || models.Get(ns.Key) is null
            || prepared.Variation.FallbackChain.Any(v => v.Type == VariationType.Builtin && v.Builtin?.Algorithm == BuiltinAlgorithm.Trending))
        {
            return null;
        }

        var variation = prepared.Variation;
        return variation with
        {
            Key = variation.Key + "/trending",
            Type = VariationType.Builtin,
            Arn = null,
            Url = null,
            EndpointName = null,
            Builtin = new BuiltinOptions(BuiltinAlgorithm.Trending, null, ExcludeInteracted: true),
            Filters = [],
            Fallbacks = null,
            MaxRequestsPerSecond = null,
        };
    }

    public Task<CachedResponse> FetchAsync(PreparedRecommendation prepared, CancellationToken cancellationToken) =>
        FetchAsync(prepared, prepared.Variation, ResponseSources.Primary, cancellationToken);

    /// <summary>Calls <paramref name="variation"/>'s backend (the prepared one, or one of its fallbacks) and serializes its answer once.</summary>
    private async Task<CachedResponse> FetchAsync(PreparedRecommendation prepared, ResolvedVariation variation, string source, CancellationToken cancellationToken)
    {
        var request = prepared.Request;
        var ns = request.Namespace;
        var isPrimary = ReferenceEquals(variation, prepared.Variation);
        var isRerank = request.Recommender.Action == RecommenderAction.RerankItems;
        var decorate = request.Options.DecorateItems;
        var metadataColumns = decorate && variation.InferenceItemMetadata is { Type: ItemMetadataType.Personalize, ItemColumns.Count: > 0 } personalize
            ? personalize.ItemColumns
            : null;

        // A fallback has its own filters: the one the client named is looked up among them (the primary's choice may not exist there).
        var filter = isPrimary ? prepared.Filter : FilterSelection.Choose(variation, request.Options.Filter, request.UserId is not null);
        var backendRequest = new BackendRequest(
            request.Recommender,
            variation,
            request.UserId,
            request.ItemId,
            request.ItemIds,
            isRerank ? request.ItemIds?.Count ?? 0 : request.Options.NumResults,
            filter,
            prepared.FilterValues.Values,
            prepared.Context.Values,
            metadataColumns);

        var backendTag = new KeyValuePair<string, object?>("backend", variation.TypeName);
        RecommendationMetrics.BackendCalls.Add(1, backendTag);
        var started = time.GetTimestamp();
        RecommenderResult result;
        using (var span = PersonalizationTracing.Source.StartActivity("recommendation backend", ActivityKind.Internal))
        {
            span?.SetTag("personalization.backend", variation.TypeName);
            span?.SetTag("personalization.variation", variation.Key);
            try
            {
                result = await guard.InvokeAsync(backends.For(variation), backendRequest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                RecommendationMetrics.BackendErrors.Add(1, backendTag);
                RecommendationMetrics.BackendDuration.Record(time.GetElapsedTime(started).TotalSeconds, backendTag, new("outcome", "error"));
                span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                throw;
            }
        }

        RecommendationMetrics.BackendDuration.Record(time.GetElapsedTime(started).TotalSeconds, backendTag, new("outcome", "ok"));

        // The recommender's post-processor replaces the answer before it is decorated, cut to numResults and cached.
        if (request.Recommender.ResponsePostProcessor is { } postProcessing)
        {
            RecommendationMetrics.PostProcessorCalls.Add(1);
            try
            {
                result = await postProcessor.ProcessAsync(backendRequest, result, cancellationToken).ConfigureAwait(false);
            }
            catch (RecommenderBackendException)
            {
                RecommendationMetrics.PostProcessorFailures.Add(1);
                if (postProcessing.FailRequestOnError)
                {
                    throw;
                }

                // Served as it came from the backend, marked, and kept only as long as a stand-in (the next miss tries again).
                source = isPrimary ? ResponseSources.Unprocessed : source;
            }
        }

        var count = isRerank ? result.Items.Count : Math.Min(result.Items.Count, request.Options.NumResults);
        var decorationComplete = true;
        ReadOnlyMemory<byte>[] metadata;
        if (!decorate)
        {
            metadata = [];
        }
        else if (ns.InferenceItemMetadata is { Type: ItemMetadataType.LocalDb })
        {
            metadata = Decorate(ns.Key, result.Items, count);
        }
        else if (ns.InferenceItemMetadata is { Type: ItemMetadataType.DynamoDb })
        {
            // The table did not answer for some items: they go out undecorated, and the answer is kept only as long
            // as a fallback's, so the complete one replaces it soon.
            var remote = await remoteMetadata.GetAsync(ns.Key, [.. result.Items.Take(count).Select(item => item.ItemId)], cancellationToken).ConfigureAwait(false);
            metadata = remote.Metadata;
            decorationComplete = remote.IsComplete;
            CatalogStore.CountMissing(ns.Key, metadata.Count(m => m.IsEmpty));
        }
        else
        {
            metadata = [.. result.Items.Take(count).Select(item => item.Metadata)];
        }

        // Only the arm that served counts as exposed: a fallback's answer names no experiment and carries its source.
        var isArm = isPrimary && prepared.IsExperimentArm;
        var isFull = source == ResponseSources.Primary;
        var shortLived = !isFull || !decorationComplete;
        var body = ResponseSerializer.Serialize(
            result,
            personalizedRanking: isRerank,
            maxItems: count,
            metadata,
            request.Options.DecorateFields,
            isArm || !isFull
                ? writer =>
                {
                    if (isArm)
                    {
                        WriteMatchedExperiment(writer, prepared);
                    }

                    if (!isFull)
                    {
                        writer.WriteString("source", source);
                    }
                }
                : null);
        return new CachedResponse(
            body,
            ResponseSerializer.StrongETag(body),
            shortLived ? prepared.Policy.FallbackHeaderValue : prepared.Policy.HeaderValue,
            shortLived ? prepared.Policy.EffectiveFallbackMaxAge : prepared.Policy.EffectiveMaxAge,
            variation.Key,
            isArm ? prepared.Experiment!.Feature : null,
            result.RecommendationId,
            source);
    }

    /// <summary>
    /// Metadata from this silo's replica of the namespace's catalog: a miss decorates without a grain call per item.
    /// </summary>
    private ReadOnlyMemory<byte>[] Decorate(string ns, IReadOnlyList<RecommendedItem> items, int count)
    {
        using var span = PersonalizationTracing.Source.StartActivity("decorate items");
        span?.SetTag("personalization.items", count);
        var catalog = catalogs.Get(ns);
        var metadata = new ReadOnlyMemory<byte>[count];
        var missing = 0;
        for (var i = 0; i < count; i++)
        {
            metadata[i] = catalog is not null && catalog.Items.TryGet(items[i].ItemId, out var item) ? item.MetadataJson : ReadOnlyMemory<byte>.Empty;
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
