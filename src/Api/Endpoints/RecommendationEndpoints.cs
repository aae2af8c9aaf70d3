using System.Text.Json;
using Personalization.Api.Auth;
using Personalization.Api.Cluster;
using Personalization.Api.Errors;
using Personalization.Api.Http;
using Personalization.Api.Recommendations;
using Personalization.Grains.Configuration;
using Personalization.Grains.Hosting;
using Personalization.Grains.Json;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Users;

namespace Personalization.Api.Endpoints;

/// <summary>recommend-items, related-items and rerank-items (spec §1): look up the recommender, validate, ask the user's grain.</summary>
internal static class RecommendationEndpoints
{
    public static IEndpointRouteBuilder MapRecommendationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/recommend-items/{ns}/{recommender}/{userId}", RecommendItemsAsync).WithTags("Recommendations").RequireAccess(ApiAccess.Recommendations);
        app.MapGet("/related-items/{ns}/{recommender}/{itemId}", RelatedItemsAsync).WithTags("Recommendations").RequireAccess(ApiAccess.Recommendations);
        app.MapGet("/rerank-items/{ns}/{recommender}/{userId}/{itemIds}", RerankItemsAsync).WithTags("Recommendations").RequireAccess(ApiAccess.Recommendations);
        app.MapPost("/rerank-items/{ns}/{recommender}/{userId}", RerankItemsFromBodyAsync).WithTags("Recommendations").RequireAccess(ApiAccess.Recommendations);
        return app;
    }

    private static async Task RecommendItemsAsync(HttpContext context, string ns, string recommender, string userId, ConfigurationStore configuration, GrainReferences<IUserGrain> users, RecommendationPipeline pipeline, TimeProvider time)
    {
        var query = Prepare(context, configuration, pipeline, ns, recommender, RecommenderAction.RecommendItems, InferenceQueryParser.ValidateId(userId, "userId"));
        var response = await AskUserAsync(users, ns, userId, query, time);
        await CachedResponseWriter.WriteAsync(context, response);
    }

    private static async Task RelatedItemsAsync(HttpContext context, string ns, string recommender, string itemId, ConfigurationStore configuration, GrainReferences<IUserGrain> users, GrainReferences<IRelatedItemsGrain> relatedItems, RecommendationPipeline pipeline, TimeProvider time)
    {
        InferenceQueryParser.ValidateId(itemId, "itemId");
        var userId = context.Request.Query.TryGetValue("userId", out var values) && values.Count > 0 && values[0] is { Length: > 0 } user
            ? InferenceQueryParser.ValidateId(user, "userId")
            : null;
        var query = Prepare(context, configuration, pipeline, ns, recommender, RecommenderAction.RelatedItems, userId, itemId: itemId);
        var response = userId is null
            ? await SiloLoss.RetryOnceAsync(static a => a.Grain.GetRecommendationsAsync(a.Query), (Grain: relatedItems.Get(RelatedItemsGrain.Key(ns, itemId)), Query: query), time)
            : await AskUserAsync(users, ns, userId, query, time);
        await CachedResponseWriter.WriteAsync(context, response);
    }

    private static async Task RerankItemsAsync(HttpContext context, string ns, string recommender, string userId, string itemIds, ConfigurationStore configuration, GrainReferences<IUserGrain> users, RecommendationPipeline pipeline, TimeProvider time)
    {
        var ids = InferenceQueryParser.ItemIds(itemIds);
        await RerankAsync(context, configuration, users, pipeline, time, ns, recommender, userId, ids);
    }

    private static async Task RerankItemsFromBodyAsync(HttpContext context, string ns, string recommender, string userId, ConfigurationStore configuration, GrainReferences<IUserGrain> users, RecommendationPipeline pipeline, TimeProvider time)
    {
        var body = await RequestBody.ReadAsync(context, MaxRerankBodyBytes);
        var text = ClientJson.Check(body.Span, "body");
        if (!text.IsValid)
        {
            throw ApiException.BadRequest("InvalidItemIds", "the body must be a JSON array of item ID strings: " + string.Join("; ", text.Problems));
        }

        string[]? ids;
        try
        {
            ids = JsonSerializer.Deserialize(body.Span, ApiJsonContext.Default.StringArray);
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("InvalidItemIds", "the body must be a JSON array of item ID strings, e.g. [\"item-1\",\"item-2\"].");
        }

        await RerankAsync(context, configuration, users, pipeline, time, ns, recommender, userId, InferenceQueryParser.ValidateItemIds(ids ?? []));
    }

    private static async Task RerankAsync(HttpContext context, ConfigurationStore configuration, GrainReferences<IUserGrain> users, RecommendationPipeline pipeline, TimeProvider time, string ns, string recommender, string userId, IReadOnlyList<string> ids)
    {
        var query = Prepare(context, configuration, pipeline, ns, recommender, RecommenderAction.RerankItems, InferenceQueryParser.ValidateId(userId, "userId"), itemIds: ids);
        var response = await AskUserAsync(users, ns, userId, query, time);
        await CachedResponseWriter.WriteAsync(context, response);
    }

    private static ValueTask<CachedResponse> AskUserAsync(GrainReferences<IUserGrain> users, string ns, string userId, RecommendationQuery query, TimeProvider time) =>
        SiloLoss.RetryOnceAsync(static a => a.Grain.GetRecommendationsAsync(a.Query), (Grain: users.Get(UserGrain.Key(ns, userId)), Query: query), time);

    private const int MaxRerankBodyBytes = 64 * 1024;

    /// <summary>
    /// Everything that needs no grain state happens here, on the silo that took the request: validation, experiment
    /// assignment, context from the headers and the cache key. The grain gets names and values only.
    /// </summary>
    private static RecommendationQuery Prepare(
        HttpContext context,
        ConfigurationStore configuration,
        RecommendationPipeline pipeline,
        string ns,
        string recommenderName,
        RecommenderAction action,
        string? userId,
        string? itemId = null,
        IReadOnlyList<string>? itemIds = null)
    {
        var snapshot = configuration.Current ?? throw new ApiException(
            StatusCodes.Status503ServiceUnavailable,
            new ApiError(ErrorTypes.Configuration, "ConfigurationNotLoaded", "no valid configuration has been loaded yet; see GET /ready."),
            TimeSpan.FromSeconds(1));
        if (!snapshot.TryGetNamespace(ns, out var resolvedNamespace))
        {
            throw ApiException.NotFound("NamespaceNotFound", $"namespace '{ns}' is not configured.");
        }

        if (!resolvedNamespace.TryGetRecommender(action, recommenderName, out var recommender))
        {
            throw ApiException.NotFound("RecommenderNotConfigured", $"no {action.ToWireName()} recommender '{recommenderName}' is configured in namespace '{ns}'.");
        }

        var options = InferenceQueryParser.Parse(context.Request.Query, allowNumResults: action != RecommenderAction.RerankItems);
        if (options.Feature is { } feature && !recommender.Experiments.ContainsKey(feature))
        {
            throw ApiException.BadRequest("UnknownFeature", $"recommender '{recommenderName}' has no experiment for feature '{feature}'.");
        }

        var request = new RecommendationRequest
        {
            Namespace = resolvedNamespace,
            Recommender = recommender,
            UserId = userId,
            ItemId = itemId,
            ItemIds = itemIds,
            ItemIdsKey = itemIds is null ? null : string.Join(',', itemIds),
            Options = options,
            Headers = new HttpRequestHeaders(context.Request.Headers),
        };
        return RecommendationPipeline.ToQuery(pipeline.Prepare(request), snapshot.ContentHash);
    }
}
