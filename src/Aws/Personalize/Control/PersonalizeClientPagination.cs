using System.Runtime.CompilerServices;

namespace Personalization.Aws.Personalize.Control;

/// <summary>Follows nextToken until the listing is exhausted.</summary>
public static class PersonalizeClientPagination
{
    public static IAsyncEnumerable<DatasetGroupSummary> ListAllDatasetGroupsAsync(this IPersonalizeClient client, CancellationToken cancellationToken = default) =>
        PagesAsync(token => client.ListDatasetGroupsAsync(new ListDatasetGroupsRequest { NextToken = token }, cancellationToken), r => (r.DatasetGroups, r.NextToken), cancellationToken);

    public static IAsyncEnumerable<CampaignSummary> ListAllCampaignsAsync(this IPersonalizeClient client, string? solutionArn = null, CancellationToken cancellationToken = default) =>
        PagesAsync(token => client.ListCampaignsAsync(new ListCampaignsRequest { SolutionArn = solutionArn, NextToken = token }, cancellationToken), r => (r.Campaigns, r.NextToken), cancellationToken);

    public static IAsyncEnumerable<RecommenderSummary> ListAllRecommendersAsync(this IPersonalizeClient client, string? datasetGroupArn = null, CancellationToken cancellationToken = default) =>
        PagesAsync(token => client.ListRecommendersAsync(new ListRecommendersRequest { DatasetGroupArn = datasetGroupArn, NextToken = token }, cancellationToken), r => (r.Recommenders, r.NextToken), cancellationToken);

    public static IAsyncEnumerable<EventTrackerSummary> ListAllEventTrackersAsync(this IPersonalizeClient client, string? datasetGroupArn = null, CancellationToken cancellationToken = default) =>
        PagesAsync(token => client.ListEventTrackersAsync(new ListEventTrackersRequest { DatasetGroupArn = datasetGroupArn, NextToken = token }, cancellationToken), r => (r.EventTrackers, r.NextToken), cancellationToken);

    public static IAsyncEnumerable<FilterSummary> ListAllFiltersAsync(this IPersonalizeClient client, string? datasetGroupArn = null, CancellationToken cancellationToken = default) =>
        PagesAsync(token => client.ListFiltersAsync(new ListFiltersRequest { DatasetGroupArn = datasetGroupArn, NextToken = token }, cancellationToken), r => (r.Filters, r.NextToken), cancellationToken);

    private static async IAsyncEnumerable<TItem> PagesAsync<TResponse, TItem>(
        Func<string?, Task<TResponse>> fetch, Func<TResponse, (List<TItem> Items, string? NextToken)> split, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (items, next) = split(await fetch(token).ConfigureAwait(false));
            foreach (var item in items)
            {
                yield return item;
            }

            if (next is not null && next == token)
            {
                throw new InvalidDataException("The service returned the same nextToken twice; stopping to avoid an endless listing.");
            }

            token = next;
        }
        while (!string.IsNullOrEmpty(token));
    }
}
