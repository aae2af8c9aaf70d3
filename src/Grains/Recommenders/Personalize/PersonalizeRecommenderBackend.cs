using Personalization.Aws.Errors;
using Personalization.Aws.Personalize.Runtime;
using Personalization.Grains.Configuration;

namespace Personalization.Grains.Recommenders.Personalize;

/// <summary>
/// Serves `personalize-campaign` and `personalize-recommender` variations: recommend-items and related-items through
/// GetRecommendations (campaignArn or recommenderArn, told apart by the ARN), rerank-items through
/// GetPersonalizedRanking (campaigns only: Personalize has no ranking recommenders). A variation's `promotions` go
/// with GetRecommendations, and the items Personalize promoted keep their promotionName.
/// </summary>
public sealed class PersonalizeRecommenderBackend(IPersonalizeRuntimeClient client) : IRecommenderBackend
{
    private const string ItemsDataset = "ITEMS";

    public bool Supports(VariationType type) => type is VariationType.PersonalizeCampaign or VariationType.PersonalizeRecommender;

    public async Task<RecommenderResult> InvokeAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var variation = request.Variation;
        var arn = variation.Arn ?? throw new RecommenderBackendException(
            BackendFailure.InvalidRequest, "VariationArnMissing", $"variation '{variation.Key}' has no arn configured.");
        var kind = PersonalizeResource.KindOf(arn, variation.Type);

        try
        {
            return request.Recommender.Action == RecommenderAction.RerankItems
                ? await RerankAsync(request, arn, kind, cancellationToken).ConfigureAwait(false)
                : await RecommendAsync(request, arn, kind, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException exception)
        {
            throw PersonalizeErrors.Map(exception, variation.Key);
        }
    }

    private async Task<RecommenderResult> RecommendAsync(BackendRequest request, string arn, PersonalizeResourceKind kind, CancellationToken cancellationToken)
    {
        var isRelated = request.Recommender.Action == RecommenderAction.RelatedItems;
        if (isRelated ? string.IsNullOrEmpty(request.ItemId) : string.IsNullOrEmpty(request.UserId))
        {
            throw new RecommenderBackendException(
                BackendFailure.InvalidRequest,
                isRelated ? "ItemIdRequired" : "UserIdRequired",
                isRelated ? "related-items needs an itemId." : "recommend-items needs a userId.");
        }

        var call = new GetRecommendationsRequest
        {
            CampaignArn = kind == PersonalizeResourceKind.Campaign ? arn : null,
            RecommenderArn = kind == PersonalizeResourceKind.Recommender ? arn : null,
            UserId = NullIfEmpty(request.UserId),
            ItemId = isRelated ? request.ItemId : null,
            NumResults = LookAhead.NumResults(request.NumResults, request.Recommender.ResponsePostProcessor),
            Context = Copy(request.Context),
            FilterArn = request.Filter?.Arn,
            FilterValues = request.Filter?.Arn is null ? null : Copy(request.FilterValues),
            MetadataColumns = MetadataColumns(request),
            Promotions = Promotions(request.Variation),
        };

        var response = await client.GetRecommendationsAsync(call, cancellationToken).ConfigureAwait(false);
        return new RecommenderResult(Items(response.ItemList), response.RecommendationId);
    }

    private async Task<RecommenderResult> RerankAsync(BackendRequest request, string arn, PersonalizeResourceKind kind, CancellationToken cancellationToken)
    {
        if (kind == PersonalizeResourceKind.Recommender)
        {
            throw new RecommenderBackendException(
                BackendFailure.InvalidRequest, "RerankNeedsCampaign", $"variation '{request.Variation.Key}' is a Personalize recommender; rerank-items needs a personalized-ranking campaign.");
        }

        if (string.IsNullOrEmpty(request.UserId) || request.InputList is not { Count: > 0 })
        {
            throw new RecommenderBackendException(BackendFailure.InvalidRequest, "RerankInputRequired", "rerank-items needs a userId and a non-empty list of item IDs.");
        }

        var call = new GetPersonalizedRankingRequest
        {
            CampaignArn = arn,
            UserId = request.UserId,
            InputList = [.. request.InputList],
            Context = Copy(request.Context),
            FilterArn = request.Filter?.Arn,
            FilterValues = request.Filter?.Arn is null ? null : Copy(request.FilterValues),
            MetadataColumns = MetadataColumns(request),
        };

        var response = await client.GetPersonalizedRankingAsync(call, cancellationToken).ConfigureAwait(false);
        return new RecommenderResult(Items(response.PersonalizedRanking), response.RecommendationId);
    }

    /// <summary>The variation's `promotions`; Personalize marks the promoted items with their promotionName.</summary>
    private static List<Promotion>? Promotions(ResolvedVariation variation) => variation.Promotions.Count == 0
        ? null
        : variation.Promotions.Select(p => new Promotion
        {
            Name = p.Name,
            PercentPromotedItems = p.PercentPromotedItems,
            FilterArn = p.FilterArn,
            FilterValues = p.FilterValues.Count == 0 ? null : new Dictionary<string, string>(p.FilterValues, StringComparer.Ordinal),
        }).ToList();

    private static Dictionary<string, List<string>>? MetadataColumns(BackendRequest request) =>
        request.MetadataColumns is { Count: > 0 } columns ? new() { [ItemsDataset] = [.. columns] } : null;

    private static RecommendedItem[] Items(List<PredictedItem> predicted)
    {
        var items = new List<RecommendedItem>(predicted.Count);
        foreach (var item in predicted)
        {
            // An item without an id is useless to a client; Personalize never sends one, a proxy might.
            if (!string.IsNullOrEmpty(item.ItemId))
            {
                items.Add(new RecommendedItem(item.ItemId, item.Score, item.PromotionName, item.Reason, ItemMetadataJson.ToUtf8Json(item.Metadata)));
            }
        }

        return [.. items];
    }

    private static Dictionary<string, string>? Copy(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? null : new Dictionary<string, string>(values, StringComparer.Ordinal);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
