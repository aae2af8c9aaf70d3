namespace Personalization.Aws.Personalize.Control;

/// <summary>Read-only Amazon Personalize control plane (awsJson1.1, AmazonPersonalize.*). List calls return one page.</summary>
public interface IPersonalizeClient
{
    Task<ListDatasetGroupsResponse> ListDatasetGroupsAsync(ListDatasetGroupsRequest request, CancellationToken cancellationToken = default);

    Task<ListCampaignsResponse> ListCampaignsAsync(ListCampaignsRequest request, CancellationToken cancellationToken = default);

    Task<ListRecommendersResponse> ListRecommendersAsync(ListRecommendersRequest request, CancellationToken cancellationToken = default);

    Task<ListEventTrackersResponse> ListEventTrackersAsync(ListEventTrackersRequest request, CancellationToken cancellationToken = default);

    Task<ListFiltersResponse> ListFiltersAsync(ListFiltersRequest request, CancellationToken cancellationToken = default);

    Task<DescribeSolutionResponse> DescribeSolutionAsync(DescribeSolutionRequest request, CancellationToken cancellationToken = default);

    Task<DescribeSolutionVersionResponse> DescribeSolutionVersionAsync(DescribeSolutionVersionRequest request, CancellationToken cancellationToken = default);

    Task<DescribeRecipeResponse> DescribeRecipeAsync(DescribeRecipeRequest request, CancellationToken cancellationToken = default);

    Task<DescribeCampaignResponse> DescribeCampaignAsync(DescribeCampaignRequest request, CancellationToken cancellationToken = default);

    Task<DescribeRecommenderResponse> DescribeRecommenderAsync(DescribeRecommenderRequest request, CancellationToken cancellationToken = default);

    Task<DescribeEventTrackerResponse> DescribeEventTrackerAsync(DescribeEventTrackerRequest request, CancellationToken cancellationToken = default);
}
