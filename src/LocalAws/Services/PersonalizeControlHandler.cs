using System.Globalization;
using Personalization.Aws.Personalize.Control;

namespace Personalization.LocalAws.Services;

/// <summary>AmazonPersonalize.* read calls over <see cref="ControlPlaneModel"/>, paginated with nextToken.</summary>
public sealed class PersonalizeControlHandler(ControlPlaneModel model)
{
    private const int DefaultPageSize = 100;
    private static PersonalizeControlJsonContext Json => PersonalizeControlJsonContext.Default;

    public ControlPlaneModel Model => model;

    public LocalResponse Handle(string operation, ReadOnlyMemory<byte> body)
    {
        switch (operation)
        {
            case "ListDatasetGroups":
            {
                var request = LocalResponse.Read(body, Json.ListDatasetGroupsRequest, true);
                var (page, next) = Page(model.Read(m => m.DatasetGroups.ToList()), request.NextToken, request.MaxResults);
                return Reply(new ListDatasetGroupsResponse { DatasetGroups = page, NextToken = next }, Json.ListDatasetGroupsResponse);
            }

            case "ListCampaigns":
            {
                var request = LocalResponse.Read(body, Json.ListCampaignsRequest, true);
                var all = model.Read(m => m.Campaigns
                    .Where(c => request.SolutionArn is null || (c.SolutionVersionArn ?? string.Empty).StartsWith(request.SolutionArn + "/", StringComparison.Ordinal))
                    .Select(c => new CampaignSummary { Name = c.Name, CampaignArn = c.CampaignArn, Status = c.Status, CreationDateTime = c.CreationDateTime, LastUpdatedDateTime = c.LastUpdatedDateTime, FailureReason = c.FailureReason })
                    .ToList());
                var (page, next) = Page(all, request.NextToken, request.MaxResults);
                return Reply(new ListCampaignsResponse { Campaigns = page, NextToken = next }, Json.ListCampaignsResponse);
            }

            case "ListRecommenders":
            {
                var request = LocalResponse.Read(body, Json.ListRecommendersRequest, true);
                var all = model.Read(m => m.Recommenders
                    .Where(r => request.DatasetGroupArn is null || r.DatasetGroupArn == request.DatasetGroupArn)
                    .Select(r => new RecommenderSummary { Name = r.Name, RecommenderArn = r.RecommenderArn, DatasetGroupArn = r.DatasetGroupArn, RecipeArn = r.RecipeArn, RecommenderConfig = r.RecommenderConfig, Status = r.Status, CreationDateTime = r.CreationDateTime, LastUpdatedDateTime = r.LastUpdatedDateTime })
                    .ToList());
                var (page, next) = Page(all, request.NextToken, request.MaxResults);
                return Reply(new ListRecommendersResponse { Recommenders = page, NextToken = next }, Json.ListRecommendersResponse);
            }

            case "ListEventTrackers":
            {
                var request = LocalResponse.Read(body, Json.ListEventTrackersRequest, true);
                var all = model.Read(m => m.EventTrackers.Where(t => request.DatasetGroupArn is null || t.DatasetGroupArn == request.DatasetGroupArn).Select(t => t.Tracker).ToList());
                var (page, next) = Page(all, request.NextToken, request.MaxResults);
                return Reply(new ListEventTrackersResponse { EventTrackers = page, NextToken = next }, Json.ListEventTrackersResponse);
            }

            case "ListFilters":
            {
                var request = LocalResponse.Read(body, Json.ListFiltersRequest, true);
                var all = model.Read(m => m.Filters.Where(f => request.DatasetGroupArn is null || f.DatasetGroupArn == request.DatasetGroupArn).ToList());
                var (page, next) = Page(all, request.NextToken, request.MaxResults);
                return Reply(new ListFiltersResponse { Filters = page, NextToken = next }, Json.ListFiltersResponse);
            }

            case "DescribeSolution":
            {
                var arn = LocalResponse.Read(body, Json.DescribeSolutionRequest, true).SolutionArn;
                var found = model.Read(m => m.Solutions.FirstOrDefault(s => s.SolutionArn == arn)) ?? throw Missing("Solution", arn);
                return Reply(new DescribeSolutionResponse { Solution = found }, Json.DescribeSolutionResponse);
            }

            case "DescribeSolutionVersion":
            {
                var arn = LocalResponse.Read(body, Json.DescribeSolutionVersionRequest, true).SolutionVersionArn;
                var found = model.Read(m => m.SolutionVersions.FirstOrDefault(s => s.SolutionVersionArn == arn)) ?? throw Missing("SolutionVersion", arn);
                return Reply(new DescribeSolutionVersionResponse { SolutionVersion = found }, Json.DescribeSolutionVersionResponse);
            }

            case "DescribeRecipe":
            {
                var arn = LocalResponse.Read(body, Json.DescribeRecipeRequest, true).RecipeArn;
                var found = model.Read(m => m.Recipes.FirstOrDefault(r => r.RecipeArn == arn)) ?? throw Missing("Recipe", arn);
                return Reply(new DescribeRecipeResponse { Recipe = found }, Json.DescribeRecipeResponse);
            }

            case "DescribeCampaign":
            {
                var arn = LocalResponse.Read(body, Json.DescribeCampaignRequest, true).CampaignArn;
                var found = model.Read(m => m.Campaigns.FirstOrDefault(c => c.CampaignArn == arn)) ?? throw Missing("Campaign", arn);
                return Reply(new DescribeCampaignResponse { Campaign = found }, Json.DescribeCampaignResponse);
            }

            case "DescribeRecommender":
            {
                var arn = LocalResponse.Read(body, Json.DescribeRecommenderRequest, true).RecommenderArn;
                var found = model.Read(m => m.Recommenders.FirstOrDefault(r => r.RecommenderArn == arn)) ?? throw Missing("Recommender", arn);
                return Reply(new DescribeRecommenderResponse { Recommender = found }, Json.DescribeRecommenderResponse);
            }

            case "DescribeEventTracker":
            {
                var arn = LocalResponse.Read(body, Json.DescribeEventTrackerRequest, true).EventTrackerArn;
                var found = model.Read(m => m.EventTrackers.FirstOrDefault(t => t.Tracker.EventTrackerArn == arn) is { Tracker: not null } t
                    ? new EventTracker
                    {
                        Name = t.Tracker.Name,
                        EventTrackerArn = t.Tracker.EventTrackerArn,
                        DatasetGroupArn = t.DatasetGroupArn,
                        TrackingId = m.TrackingIds.GetValueOrDefault(arn) ?? ControlPlaneModel.DerivedTrackingId(arn),
                        Status = t.Tracker.Status,
                        CreationDateTime = t.Tracker.CreationDateTime,
                        LastUpdatedDateTime = t.Tracker.LastUpdatedDateTime,
                    }
                    : null) ?? throw Missing("EventTracker", arn);
                return Reply(new DescribeEventTrackerResponse { EventTracker = found }, Json.DescribeEventTrackerResponse);
            }

            default:
                throw new LocalAwsException(400, "UnknownOperationException", "The local server does not implement AmazonPersonalize." + operation);
        }
    }

    private static LocalResponse Reply<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) => LocalResponse.Json(value, info, true);

    private static LocalAwsException Missing(string kind, string arn) =>
        string.IsNullOrEmpty(arn)
            ? new LocalAwsException(400, "InvalidInputException", $"The {kind} ARN is required.")
            : new LocalAwsException(400, "ResourceNotFoundException", $"{kind} {arn} does not exist.");

    private static (List<T> Page, string? NextToken) Page<T>(List<T> all, string? nextToken, int? maxResults)
    {
        var size = maxResults ?? DefaultPageSize;
        if (size is < 1 or > 100)
        {
            throw new LocalAwsException(400, "InvalidInputException", "maxResults must be between 1 and 100.");
        }

        var start = 0;
        if (!string.IsNullOrEmpty(nextToken) && (!int.TryParse(nextToken, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count))
        {
            throw new LocalAwsException(400, "InvalidNextTokenException", "The nextToken is not valid.");
        }

        var end = Math.Min(all.Count, start + size);
        return (all.GetRange(start, end - start), end < all.Count ? end.ToString(CultureInfo.InvariantCulture) : null);
    }
}
