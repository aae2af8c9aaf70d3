using Personalization.Aws.Errors;
using Personalization.Aws.Personalize.Control;
using Xunit;

namespace Personalization.Aws.Tests.Local;

public sealed class PersonalizeControlClientTests : LocalServerTest
{
    private const string Group = "arn:aws:personalize:us-east-1:1:dataset-group/shop";
    private const string Solution = "arn:aws:personalize:us-east-1:1:solution/sims";
    private const string Recipe = "arn:aws:personalize:::recipe/aws-similar-items";

    private void Seed() => State.ControlPlane.Update(m =>
    {
        m.DatasetGroups.AddRange(Enumerable.Range(1, 150).Select(i => new DatasetGroupSummary { Name = "g" + i, DatasetGroupArn = "arn:dg/" + i, Status = "ACTIVE" }));
        m.DatasetGroups.Add(new DatasetGroupSummary { Name = "shop", DatasetGroupArn = Group, Status = "ACTIVE", Domain = "ECOMMERCE", CreationDateTime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000) });
        m.Campaigns.Add(new Campaign { Name = "sims", CampaignArn = "arn:campaign/sims", SolutionVersionArn = Solution + "/v1", Status = "ACTIVE", MinProvisionedTPS = 1 });
        m.Campaigns.Add(new Campaign { Name = "other", CampaignArn = "arn:campaign/other", SolutionVersionArn = "arn:solution/other/v1", Status = "ACTIVE" });
        m.Recommenders.Add(new Recommender { Name = "top", RecommenderArn = "arn:recommender/top", DatasetGroupArn = Group, RecipeArn = "arn:recipe/aws-ecomm-popular-items-by-views", Status = "ACTIVE", RecommenderConfig = new RecommenderConfig { EnableMetadataWithRecommendations = true } });
        m.EventTrackers.Add((Group, new EventTrackerSummary { Name = "tracker", EventTrackerArn = "arn:event-tracker/t", Status = "ACTIVE" }));
        m.Filters.Add(new FilterSummary { Name = "unwatched", FilterArn = "arn:filter/unwatched", DatasetGroupArn = Group, Status = "ACTIVE" });
        m.Solutions.Add(new Solution { Name = "sims", SolutionArn = Solution, RecipeArn = Recipe, DatasetGroupArn = Group, PerformHPO = false, SolutionConfig = new SolutionConfig { AlgorithmHyperParameters = new() { ["popularity_discount_factor"] = "0.5" } } });
        m.SolutionVersions.Add(new SolutionVersion { SolutionVersionArn = Solution + "/v1", SolutionArn = Solution, RecipeArn = Recipe, Status = "ACTIVE", TrainingHours = 1.25 });
        m.Recipes.Add(new Recipe { Name = "aws-similar-items", RecipeArn = Recipe, RecipeType = "RELATED_ITEMS" });
    });

    [Fact]
    public async Task Listings_follow_nextToken_across_pages()
    {
        Seed();
        var client = Clients().CreatePersonalizeClient();

        var page = await client.ListDatasetGroupsAsync(new ListDatasetGroupsRequest { MaxResults = 100 });
        var all = new List<DatasetGroupSummary>();
        await foreach (var group in client.ListAllDatasetGroupsAsync())
        {
            all.Add(group);
        }

        Assert.Equal(100, page.DatasetGroups.Count);
        Assert.NotNull(page.NextToken);
        Assert.Equal(151, all.Count);
        Assert.Equal(all.Count, all.Select(g => g.DatasetGroupArn).Distinct().Count());
        var shop = all.Single(g => g.Name == "shop");
        Assert.Equal(("ECOMMERCE", DateTimeOffset.FromUnixTimeSeconds(1_600_000_000)), (shop.Domain, shop.CreationDateTime!.Value));
        Assert.Equal(3, State.Recorded.For("ListDatasetGroups").Count);
    }

    [Fact]
    public async Task Listings_filter_by_parent_resource()
    {
        Seed();
        var client = Clients().CreatePersonalizeClient();

        var campaigns = await client.ListCampaignsAsync(new ListCampaignsRequest { SolutionArn = Solution });
        var recommenders = await client.ListRecommendersAsync(new ListRecommendersRequest { DatasetGroupArn = Group });
        var trackers = await client.ListEventTrackersAsync(new ListEventTrackersRequest { DatasetGroupArn = Group });
        var filters = await client.ListFiltersAsync(new ListFiltersRequest { DatasetGroupArn = Group });
        var noTrackers = await client.ListEventTrackersAsync(new ListEventTrackersRequest { DatasetGroupArn = "arn:dg/1" });

        Assert.Equal("sims", Assert.Single(campaigns.Campaigns).Name);
        Assert.True(Assert.Single(recommenders.Recommenders).RecommenderConfig!.EnableMetadataWithRecommendations);
        Assert.Equal("tracker", Assert.Single(trackers.EventTrackers).Name);
        Assert.Equal("unwatched", Assert.Single(filters.Filters).Name);
        Assert.Empty(noTrackers.EventTrackers);
    }

    [Fact]
    public async Task Describe_calls_return_the_seeded_resources()
    {
        Seed();
        var client = Clients().CreatePersonalizeClient();

        var solution = (await client.DescribeSolutionAsync(new DescribeSolutionRequest { SolutionArn = Solution })).Solution!;
        var version = (await client.DescribeSolutionVersionAsync(new DescribeSolutionVersionRequest { SolutionVersionArn = Solution + "/v1" })).SolutionVersion!;
        var recipe = (await client.DescribeRecipeAsync(new DescribeRecipeRequest { RecipeArn = Recipe })).Recipe!;
        var campaign = (await client.DescribeCampaignAsync(new DescribeCampaignRequest { CampaignArn = "arn:campaign/sims" })).Campaign!;
        var recommender = (await client.DescribeRecommenderAsync(new DescribeRecommenderRequest { RecommenderArn = "arn:recommender/top" })).Recommender!;

        Assert.Equal(("0.5", false), (solution.SolutionConfig!.AlgorithmHyperParameters!["popularity_discount_factor"], solution.PerformHPO!.Value));
        Assert.Equal(1.25, version.TrainingHours);
        Assert.Equal("RELATED_ITEMS", recipe.RecipeType);
        Assert.Equal((Solution + "/v1", 1), (campaign.SolutionVersionArn, campaign.MinProvisionedTPS!.Value));
        Assert.Equal(Group, recommender.DatasetGroupArn);
        Assert.All(State.Recorded.All, c => Assert.Equal("personalize", c.Service));
    }

    [Fact]
    public async Task Describing_a_missing_resource_is_not_found()
    {
        var client = Clients().CreatePersonalizeClient();

        var error = await Assert.ThrowsAsync<AwsResourceNotFoundException>(() => client.DescribeCampaignAsync(new DescribeCampaignRequest { CampaignArn = "arn:campaign/none" }));

        Assert.Contains("arn:campaign/none", error.Message);
    }

    [Fact]
    public async Task A_bad_nextToken_is_a_validation_error()
    {
        var client = Clients().CreatePersonalizeClient();

        var error = await Assert.ThrowsAsync<AwsValidationException>(() => client.ListFiltersAsync(new ListFiltersRequest { NextToken = "garbage" }));

        Assert.Equal("InvalidNextTokenException", error.ErrorCode);
    }
}
