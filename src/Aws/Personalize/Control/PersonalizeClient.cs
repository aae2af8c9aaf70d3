using System.Text.Json.Serialization.Metadata;
using Personalization.Aws.Configuration;
using Personalization.Aws.Transport;

namespace Personalization.Aws.Personalize.Control;

public sealed class PersonalizeClient(AwsTransport transport) : IPersonalizeClient
{
    private static PersonalizeControlJsonContext Json => PersonalizeControlJsonContext.Default;

    public Task<ListDatasetGroupsResponse> ListDatasetGroupsAsync(ListDatasetGroupsRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("ListDatasetGroups", request, Json.ListDatasetGroupsRequest, Json.ListDatasetGroupsResponse, cancellationToken);

    public Task<ListCampaignsResponse> ListCampaignsAsync(ListCampaignsRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("ListCampaigns", request, Json.ListCampaignsRequest, Json.ListCampaignsResponse, cancellationToken);

    public Task<ListRecommendersResponse> ListRecommendersAsync(ListRecommendersRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("ListRecommenders", request, Json.ListRecommendersRequest, Json.ListRecommendersResponse, cancellationToken);

    public Task<ListEventTrackersResponse> ListEventTrackersAsync(ListEventTrackersRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("ListEventTrackers", request, Json.ListEventTrackersRequest, Json.ListEventTrackersResponse, cancellationToken);

    public Task<ListFiltersResponse> ListFiltersAsync(ListFiltersRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("ListFilters", request, Json.ListFiltersRequest, Json.ListFiltersResponse, cancellationToken);

    public Task<DescribeSolutionResponse> DescribeSolutionAsync(DescribeSolutionRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("DescribeSolution", Require(request, request?.SolutionArn, "solutionArn"), Json.DescribeSolutionRequest, Json.DescribeSolutionResponse, cancellationToken);

    public Task<DescribeSolutionVersionResponse> DescribeSolutionVersionAsync(DescribeSolutionVersionRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("DescribeSolutionVersion", Require(request, request?.SolutionVersionArn, "solutionVersionArn"), Json.DescribeSolutionVersionRequest, Json.DescribeSolutionVersionResponse, cancellationToken);

    public Task<DescribeRecipeResponse> DescribeRecipeAsync(DescribeRecipeRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("DescribeRecipe", Require(request, request?.RecipeArn, "recipeArn"), Json.DescribeRecipeRequest, Json.DescribeRecipeResponse, cancellationToken);

    public Task<DescribeCampaignResponse> DescribeCampaignAsync(DescribeCampaignRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("DescribeCampaign", Require(request, request?.CampaignArn, "campaignArn"), Json.DescribeCampaignRequest, Json.DescribeCampaignResponse, cancellationToken);

    public Task<DescribeRecommenderResponse> DescribeRecommenderAsync(DescribeRecommenderRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("DescribeRecommender", Require(request, request?.RecommenderArn, "recommenderArn"), Json.DescribeRecommenderRequest, Json.DescribeRecommenderResponse, cancellationToken);

    public Task<DescribeEventTrackerResponse> DescribeEventTrackerAsync(DescribeEventTrackerRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync("DescribeEventTracker", Require(request, request?.EventTrackerArn, "eventTrackerArn"), Json.DescribeEventTrackerRequest, Json.DescribeEventTrackerResponse, cancellationToken);

    private static T Require<T>(T request, string? value, string member)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.IsNullOrEmpty(value) ? throw new ArgumentException($"{typeof(T).Name} needs {member}.", nameof(request)) : request;
    }

    private async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
        where TResponse : new()
    {
        ArgumentNullException.ThrowIfNull(request);
        return await transport.InvokeJsonAsync(AwsService.Personalize, operation, HttpMethod.Post, "/", request, requestInfo, responseInfo, cancellationToken).ConfigureAwait(false)
            ?? new TResponse();
    }
}
