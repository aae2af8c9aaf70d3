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
        return LocalResponse.Json(Recommendations(request), Json.GetRecommendationsResponse, false);
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
