using System.Collections.Concurrent;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders.BuiltIn.Filters;

namespace Personalization.Grains.Recommenders.BuiltIn;

/// <summary>Serves `builtin` variations from the namespace's trained model: personalized, similar items, trending, rerank.</summary>
public sealed class BuiltInRecommenderBackend(BuiltInModelStore models) : IRecommenderBackend
{
    private readonly ConcurrentDictionary<string, FilterExpression> _expressions = new(StringComparer.Ordinal);

    public bool Supports(VariationType type) => type == VariationType.Builtin;

    public Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Recommender.Namespace;
        var model = models.Get(ns) ?? throw new RecommenderBackendException(
            BackendFailure.Unavailable, "ModelNotLoaded", $"the built-in model of namespace '{ns}' is not loaded yet; see GET /ready.");
        var options = request.Variation.Builtin ?? new BuiltinOptions(BuiltinOptions.DefaultAlgorithm(request.Recommender.Action), null, true);
        var filter = Filter(request);

        // With a post-processor, the look-ahead count (it may drop items); the pipeline cuts to numResults afterwards.
        var count = Personalize.LookAhead.NumResults(request.NumResults, request.Recommender.ResponsePostProcessor);
        var items = (options.Algorithm, request.Recommender.Action) switch
        {
            (_, RecommenderAction.RerankItems) => model.Rerank(request.UserId ?? string.Empty, request.InputList ?? [], filter),
            (BuiltinAlgorithm.Trending, _) => model.Trending(count, options.Category, categoryValue: null, request.UserId, filter),
            (BuiltinAlgorithm.SimilarItems, _) when request.ItemId is { } itemId => model.Similar(itemId, count, request.UserId, filter),
            (BuiltinAlgorithm.Rerank, _) => throw new RecommenderBackendException(
                BackendFailure.InvalidRequest, "AlgorithmNotApplicable", $"variation '{request.Variation.Key}' reranks a given list; it cannot serve {request.Recommender.Action}."),
            _ when request.UserId is { } userId => model.Recommend(userId, count, filter),
            _ => model.Trending(count, options.Category, categoryValue: null, userId: null, filter),
        };

        var result = new RecommendedItem[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new RecommendedItem(items[i].ItemId, Math.Round(items[i].Score, 6));
        }

        return Task.FromResult(new RecommenderResult(result, "builtin-" + Guid.NewGuid().ToString("N")));
    }

    private ItemFilter? Filter(BackendRequest request)
    {
        if (request.Filter?.Config?.Expression is not { } text)
        {
            if (request.Filter is { FromQuery: true } chosen)
            {
                throw new RecommenderBackendException(
                    BackendFailure.InvalidRequest, "FilterNotFound", $"filter '{chosen.Name}' has no expression configured for variation '{request.Variation.Key}'.");
            }

            return null;
        }

        try
        {
            return _expressions.GetOrAdd(text, static t => FilterExpression.Parse(t)).Bind(request.FilterValues);
        }
        catch (FilterParseException exception)
        {
            throw new RecommenderBackendException(BackendFailure.InvalidRequest, "InvalidFilterValues", $"filter '{request.Filter.Name}': {exception.Message}");
        }
    }
}
