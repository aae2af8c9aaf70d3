using System.Text.Json;
using Personalization.Aws.Personalize.Runtime;
using Xunit;

namespace Personalization.Aws.Tests.Local;

public sealed class PersonalizeRuntimeClientTests : LocalServerTest
{
    private const string CampaignArn = "arn:aws:personalize:us-east-1:123456789012:campaign/c1";

    [Fact]
    public async Task GetRecommendations_returns_the_deterministic_default_items()
    {
        var client = Clients().CreatePersonalizeRuntimeClient();

        var response = await client.GetRecommendationsAsync(new GetRecommendationsRequest { CampaignArn = CampaignArn, UserId = "u1", NumResults = 7 });

        Assert.Equal(State.DefaultRecommender.ItemsFor("u1", null, 7), response.ItemList.Select(i => i.ItemId));
        Assert.StartsWith("RID-", response.RecommendationId);
        Assert.True(response.ItemList[0].Score > response.ItemList[^1].Score);
        var again = await client.GetRecommendationsAsync(new GetRecommendationsRequest { CampaignArn = CampaignArn, UserId = "u1", NumResults = 7 });
        Assert.Equal(response.ItemList.Select(i => i.ItemId), again.ItemList.Select(i => i.ItemId));
    }

    [Fact]
    public async Task GetRecommendations_sends_the_model_member_names_and_uses_the_pluggable_delegate()
    {
        GetRecommendationsRequest? seen = null;
        State.Runtime.Recommendations = request =>
        {
            seen = request;
            return new GetRecommendationsResponse
            {
                ItemList = [new PredictedItem { ItemId = "x", Score = 0.9, PromotionName = "p", Metadata = new() { ["genre"] = "drama" }, Reason = ["r"] }],
                RecommendationId = "rid-1",
            };
        };
        var client = Clients().CreatePersonalizeRuntimeClient();

        var response = await client.GetRecommendationsAsync(new GetRecommendationsRequest
        {
            RecommenderArn = "arn:aws:personalize:us-east-1:123456789012:recommender/r1",
            UserId = "u2",
            NumResults = 3,
            Context = new() { ["device"] = "phone" },
            FilterArn = "arn:filter",
            FilterValues = new() { ["g"] = "\"drama\"" },
            MetadataColumns = new() { ["ITEMS"] = ["genre"] },
            Promotions = [new Promotion { Name = "p", PercentPromotedItems = 20, FilterArn = "arn:promo" }],
        });

        var single = Assert.Single(response.ItemList);
        Assert.Equal(("x", 0.9, "p", "drama", "r"), (single.ItemId, single.Score!.Value, single.PromotionName, single.Metadata!["genre"], single.Reason![0]));
        Assert.Equal("rid-1", response.RecommendationId);
        Assert.Equal(("u2", "phone", 20), (seen!.UserId, seen.Context!["device"], seen.Promotions![0].PercentPromotedItems!.Value));

        var call = Assert.Single(State.Recorded.For("GetRecommendations"));
        Assert.Equal("/recommendations", call.Target);
        using var body = JsonDocument.Parse(call.Body);
        var names = body.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "recommenderArn", "userId", "numResults", "context", "filterArn", "filterValues", "metadataColumns", "promotions" }, names);
        Assert.DoesNotContain("campaignArn", names);
    }

    [Fact]
    public async Task GetPersonalizedRanking_ranks_every_input_item()
    {
        var client = Clients().CreatePersonalizeRuntimeClient();
        List<string> input = ["a", "b", "c", "d"];

        var response = await client.GetPersonalizedRankingAsync(new GetPersonalizedRankingRequest { CampaignArn = CampaignArn, UserId = "u1", InputList = input });

        Assert.Equal(input.Order(), response.PersonalizedRanking.Select(i => i.ItemId!).Order());
        Assert.Equal(State.DefaultRecommender.Rank(new GetPersonalizedRankingRequest { UserId = "u1", InputList = input }).PersonalizedRanking.Select(i => i.ItemId), response.PersonalizedRanking.Select(i => i.ItemId));
    }

    [Fact]
    public async Task GetActionRecommendations_returns_actions()
    {
        var client = Clients().CreatePersonalizeRuntimeClient();

        var response = await client.GetActionRecommendationsAsync(new GetActionRecommendationsRequest { CampaignArn = CampaignArn, UserId = "u1", NumResults = 3 });

        Assert.Equal(3, response.ActionList.Count);
        Assert.All(response.ActionList, a => Assert.StartsWith("action-", a.ActionId));
        Assert.Single(State.Recorded.For("GetActionRecommendations"));
    }

    [Fact]
    public async Task GetRecommendations_rejects_a_request_naming_no_campaign_before_sending()
    {
        var client = Clients().CreatePersonalizeRuntimeClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetRecommendationsAsync(new GetRecommendationsRequest { UserId = "u1" }));
        Assert.Empty(State.Recorded.All);
    }
}
