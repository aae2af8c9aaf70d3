using Personalization.Aws.Personalize.Runtime;

namespace Personalization.LocalAws.Services;

/// <summary>personalize-runtime: validates like the service, then asks the pluggable delegates.</summary>
public sealed class PersonalizeRuntimeHandler(DeterministicRecommender defaults)
{
    private static PersonalizeRuntimeJsonContext Json => PersonalizeRuntimeJsonContext.Default;

    public Func<GetRecommendationsRequest, GetRecommendationsResponse> Recommendations { get; set; } = defaults.Recommend;

    public Func<GetPersonalizedRankingRequest, GetPersonalizedRankingResponse> Ranking { get; set; } = defaults.Rank;

    public Func<GetActionRecommendationsRequest, GetActionRecommendationsResponse> ActionRecommendations { get; set; } = defaults.RecommendActions;

    public LocalResponse Handle(string operation, ReadOnlyMemory<byte> body) => operation switch
    {
        "GetRecommendations" => GetRecommendations(LocalResponse.Read(body, Json.GetRecommendationsRequest, false)),
        "GetPersonalizedRanking" => GetPersonalizedRanking(LocalResponse.Read(body, Json.GetPersonalizedRankingRequest, false)),
        "GetActionRecommendations" => GetActionRecommendations(LocalResponse.Read(body, Json.GetActionRecommendationsRequest, false)),
        _ => throw new LocalAwsException(404, "UnknownOperationException", "Unknown personalize-runtime operation " + operation),
    };

    private LocalResponse GetRecommendations(GetRecommendationsRequest request)
    {
        if (string.IsNullOrEmpty(request.CampaignArn) == string.IsNullOrEmpty(request.RecommenderArn))
        {
            throw LocalAwsException.Validation("Exactly one of campaignArn or recommenderArn must be provided.");
        }

        if (string.IsNullOrEmpty(request.UserId) && string.IsNullOrEmpty(request.ItemId))
        {
            throw LocalAwsException.Validation("userId or itemId is required.");
        }

        ValidateNumResults(request.NumResults);
        ValidatePromotions(request.Promotions);
        var response = Recommendations(request);
        if (request.Promotions is [var promotion] && !response.ItemList.Any(item => item.PromotionName is not null))
        {
            // Personalize places promoted items among the others; here every k-th position is promoted, so the share is exact.
            var promoted = (int)Math.Ceiling(response.ItemList.Count * promotion.PercentPromotedItems!.Value / 100d);
            for (var i = 0; i < promoted; i++)
            {
                response.ItemList[i * response.ItemList.Count / promoted].PromotionName = promotion.Name;
            }
        }

        return LocalResponse.Json(response, Json.GetRecommendationsResponse, false);
    }

    private static void ValidatePromotions(List<Promotion>? promotions)
    {
        if (promotions is null)
        {
            return;
        }

        if (promotions.Count > 1)
        {
            throw LocalAwsException.Validation("Value at 'promotions' failed to satisfy constraint: Member must have length less than or equal to 1.");
        }

        foreach (var promotion in promotions)
        {
            if (string.IsNullOrEmpty(promotion.Name) || promotion.Name.Length > 63 || string.IsNullOrEmpty(promotion.FilterArn)
                || promotion.PercentPromotedItems is not (>= 1 and <= 100))
            {
                throw LocalAwsException.Validation("A promotion needs a name (1-63 characters), a filterArn and percentPromotedItems between 1 and 100.");
            }
        }
    }

    private LocalResponse GetPersonalizedRanking(GetPersonalizedRankingRequest request)
    {
        if (string.IsNullOrEmpty(request.CampaignArn) || string.IsNullOrEmpty(request.UserId) || request.InputList is not { Count: > 0 })
        {
            throw LocalAwsException.Validation("campaignArn, userId and a non-empty inputList are required.");
        }

        if (request.InputList.Count > 500)
        {
            throw LocalAwsException.Validation("inputList must have at most 500 items.");
        }

        return LocalResponse.Json(Ranking(request), Json.GetPersonalizedRankingResponse, false);
    }

    private LocalResponse GetActionRecommendations(GetActionRecommendationsRequest request)
    {
        if (string.IsNullOrEmpty(request.CampaignArn) || string.IsNullOrEmpty(request.UserId))
        {
            throw LocalAwsException.Validation("campaignArn and userId are required.");
        }

        ValidateNumResults(request.NumResults);
        return LocalResponse.Json(ActionRecommendations(request), Json.GetActionRecommendationsResponse, false);
    }

    private static void ValidateNumResults(int? numResults)
    {
        if (numResults is < 1 or > 500)
        {
            throw LocalAwsException.Validation($"Value '{numResults}' at 'numResults' failed to satisfy constraint: Member must have value between 1 and 500.");
        }
    }
}
