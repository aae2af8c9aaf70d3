namespace Personalization.Aws.Personalize.Runtime;

/// <summary>Amazon Personalize runtime (restJson1, endpoint personalize-runtime.{region}).</summary>
public interface IPersonalizeRuntimeClient
{
    Task<GetRecommendationsResponse> GetRecommendationsAsync(GetRecommendationsRequest request, CancellationToken cancellationToken = default);

    Task<GetPersonalizedRankingResponse> GetPersonalizedRankingAsync(GetPersonalizedRankingRequest request, CancellationToken cancellationToken = default);

    Task<GetActionRecommendationsResponse> GetActionRecommendationsAsync(GetActionRecommendationsRequest request, CancellationToken cancellationToken = default);
}
