using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Aws.Personalize.Runtime;

public sealed class PersonalizeRuntimeClient(AwsTransport transport) : IPersonalizeRuntimeClient
{
    private static readonly AwsService Service = AwsService.PersonalizeRuntime;
    private static PersonalizeRuntimeJsonContext Json => PersonalizeRuntimeJsonContext.Default;

    public async Task<GetRecommendationsResponse> GetRecommendationsAsync(GetRecommendationsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.CampaignArn) == string.IsNullOrEmpty(request.RecommenderArn))
        {
            throw new ArgumentException("GetRecommendations needs exactly one of campaignArn or recommenderArn.", nameof(request));
        }

        return await transport.InvokeJsonAsync(Service, "GetRecommendations", HttpMethod.Post, "/recommendations", request, Json.GetRecommendationsRequest, Json.GetRecommendationsResponse, cancellationToken).ConfigureAwait(false)
            ?? new GetRecommendationsResponse();
    }

    public async Task<GetPersonalizedRankingResponse> GetPersonalizedRankingAsync(GetPersonalizedRankingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await transport.InvokeJsonAsync(Service, "GetPersonalizedRanking", HttpMethod.Post, "/personalize-ranking", request, Json.GetPersonalizedRankingRequest, Json.GetPersonalizedRankingResponse, cancellationToken).ConfigureAwait(false)
            ?? new GetPersonalizedRankingResponse();
    }

    public async Task<GetActionRecommendationsResponse> GetActionRecommendationsAsync(GetActionRecommendationsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await transport.InvokeJsonAsync(Service, "GetActionRecommendations", HttpMethod.Post, "/action-recommendations", request, Json.GetActionRecommendationsRequest, Json.GetActionRecommendationsResponse, cancellationToken).ConfigureAwait(false)
            ?? new GetActionRecommendationsResponse();
    }
}
