using System.Text.Json;
using Personalization.Aws.Personalize.Control;
using Personalization.Grains.Configuration;
using Personalization.Grains.Configuration.Generation;
using Personalization.Grains.Tests.Recommenders.Personalize;
using Personalization.LocalAws.Services;
using Personalization.TestSupport;
using Xunit;

namespace Personalization.Grains.Tests.Configuration.Generation;

public sealed class PersonalizeConfigGeneratorTests : LocalAwsTest
{
    private const string Arn = "arn:aws:personalize:us-east-1:123456789012";
    private const string Recipes = "arn:aws:personalize:::recipe/";

    private static string DatasetGroup(string name) => $"{Arn}:dataset-group/{name}";

    private PersonalizeConfigGenerator Generator() => new(Clients().CreatePersonalizeClient());

    private void Seed()
    {
        State.ControlPlane.Update(m =>
        {
            foreach (var name in new[] { "shop", "media", "other", "empty" })
            {
                m.DatasetGroups.Add(new DatasetGroupSummary { Name = name, DatasetGroupArn = DatasetGroup(name), Status = "ACTIVE" });
            }

            AddRecommender(m, "shop", "recommended-for-you", "aws-ecomm-recommended-for-you");
            AddRecommender(m, "shop", "also-viewed", "aws-ecomm-customers-who-viewed-x-also-viewed");
            AddRecommender(m, "shop", "next-best", "aws-next-best-action");
            AddRecommender(m, "other", "top-picks", "aws-vod-top-picks");
            AddCampaign(m, "shop", "ranking", "aws-personalized-ranking-v2");
            AddCampaign(m, "shop", "sims", "aws-sims");
            AddCampaign(m, "media", "personalization", "aws-user-personalization-v2");
            AddCampaign(m, "other", "other-sims", "aws-sims");
            m.EventTrackers.Add((DatasetGroup("shop"), new EventTrackerSummary { Name = "shop-tracker", EventTrackerArn = $"{Arn}:event-tracker/shop1", Status = "ACTIVE" }));
            m.TrackingIds[$"{Arn}:event-tracker/shop1"] = "11111111-2222-3333-4444-555555555555";
            m.Filters.Add(new FilterSummary { Name = "in-stock", FilterArn = $"{Arn}:filter/in-stock", DatasetGroupArn = DatasetGroup("shop"), Status = "ACTIVE" });
            m.Filters.Add(new FilterSummary { Name = "broken", FilterArn = $"{Arn}:filter/broken", DatasetGroupArn = DatasetGroup("shop"), Status = "CREATE FAILED" });
        });
    }

    private static void AddRecommender(ControlPlaneModel m, string group, string name, string recipe) =>
        m.Recommenders.Add(new Recommender { Name = name, RecommenderArn = $"{Arn}:recommender/{name}", DatasetGroupArn = DatasetGroup(group), RecipeArn = Recipes + recipe, Status = "ACTIVE" });

    private static void AddCampaign(ControlPlaneModel m, string group, string name, string recipe)
    {
        var solution = $"{Arn}:solution/{name}-solution";
        var version = $"{solution}/0001";
        m.SolutionVersions.Add(new SolutionVersion { SolutionVersionArn = version, SolutionArn = solution, DatasetGroupArn = DatasetGroup(group), RecipeArn = Recipes + recipe, Status = "ACTIVE" });
        m.Campaigns.Add(new Campaign { Name = name, CampaignArn = $"{Arn}:campaign/{name}", SolutionVersionArn = version, Status = "ACTIVE" });
    }

    private static ConfigurationSnapshot Valid(GeneratedConfiguration generated)
    {
        Assert.True(generated.Validation.IsValid, string.Join("; ", generated.Validation.Errors));
        return generated.Validation.Snapshot!;
    }

    [Fact]
    public async Task Named_dataset_groups_become_namespaces_with_recommenders_mapped_by_recipe()
    {
        Seed();
        var generated = await Generator().GenerateAsync(ConfigGenerationRequest.Parse("shop, media"), CancellationToken.None);
        var snapshot = Valid(generated);

        Assert.Equal(["media", "shop"], snapshot.Namespaces.Select(n => n.Key).Order().ToArray());
        Assert.True(snapshot.TryGetRecommender("shop", RecommenderAction.RecommendItems, "recommended-for-you", out var forYou));
        Assert.Equal("personalize-ecomm-recommended-for-you", forYou.DefaultVariation.Key);
        Assert.Equal(VariationType.PersonalizeRecommender, forYou.DefaultVariation.Type);
        Assert.Equal($"{Arn}:recommender/recommended-for-you", forYou.DefaultVariation.Arn);

        Assert.True(snapshot.TryGetRecommender("shop", RecommenderAction.RelatedItems, "also-viewed", out _));
        Assert.True(snapshot.TryGetRecommender("shop", RecommenderAction.RelatedItems, "sims", out var sims));
        Assert.Equal("personalize-sims", sims.DefaultVariation.Key);
        Assert.Equal(VariationType.PersonalizeCampaign, sims.DefaultVariation.Type);
        Assert.True(snapshot.TryGetRecommender("shop", RecommenderAction.RerankItems, "ranking", out var ranking));
        Assert.Equal("personalize-personalized-ranking-v2", ranking.DefaultVariation.Key);
        Assert.True(snapshot.TryGetRecommender("media", RecommenderAction.RecommendItems, "personalization", out var personalization));
        Assert.Equal("personalize-user-personalization-v2", personalization.DefaultVariation.Key);

        Assert.False(snapshot.TryGetNamespace("other", out _));
        Assert.Empty(sims.DefaultVariation.Filters);
        Assert.Contains(generated.Warnings, w => w.Contains("aws-next-best-action", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Event_trackers_become_personalize_event_tracker_targets()
    {
        Seed();
        var snapshot = Valid(await Generator().GenerateAsync(ConfigGenerationRequest.Parse("shop"), CancellationToken.None));

        Assert.True(snapshot.TryGetNamespace("shop", out var shop));
        var target = Assert.Single(shop.EventTargets);
        Assert.Equal(EventTargetType.PersonalizeEventTracker, target.Type);
        Assert.Equal("11111111-2222-3333-4444-555555555555", target.TrackingId);
    }

    [Fact]
    public async Task The_default_cache_policy_is_10_300_1200_seconds()
    {
        Seed();
        var generated = await Generator().GenerateAsync(ConfigGenerationRequest.Parse("shop"), CancellationToken.None);
        Valid(generated);

        var cache = JsonDocument.Parse(generated.Json).RootElement.GetProperty("cacheControl");
        Assert.Equal(10, cache.GetProperty("userSpecified").GetProperty("maxAge").GetInt32());
        Assert.Equal("private", cache.GetProperty("userSpecified").GetProperty("directives").GetString());
        Assert.Equal(300, cache.GetProperty("syntheticUserSpecified").GetProperty("maxAge").GetInt32());
        Assert.Equal(1200, cache.GetProperty("noUserSpecified").GetProperty("maxAge").GetInt32());
        Assert.Equal("public", cache.GetProperty("noUserSpecified").GetProperty("directives").GetString());
    }

    [Fact]
    public async Task All_takes_every_dataset_group_and_skips_those_with_nothing_to_map()
    {
        Seed();
        var generated = await Generator().GenerateAsync(ConfigGenerationRequest.Parse("all"), CancellationToken.None);
        var snapshot = Valid(generated);

        Assert.Equal(["media", "other", "shop"], snapshot.Namespaces.Select(n => n.Key).Order().ToArray());
        Assert.True(snapshot.TryGetRecommender("other", RecommenderAction.RecommendItems, "top-picks", out _));
        Assert.True(snapshot.TryGetRecommender("other", RecommenderAction.RelatedItems, "other-sims", out _));
        Assert.Contains(generated.Warnings, w => w.Contains("'empty'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Attached_filters_are_the_active_ones_of_the_dataset_group()
    {
        Seed();
        var snapshot = Valid(await Generator().GenerateAsync(ConfigGenerationRequest.Parse("shop", attachFilters: true), CancellationToken.None));

        Assert.True(snapshot.TryGetRecommender("shop", RecommenderAction.RelatedItems, "sims", out var sims));
        var filter = Assert.Single(sims.DefaultVariation.Filters);
        Assert.Equal($"{Arn}:filter/in-stock", filter.Arn);
        Assert.True(snapshot.TryGetRecommender("shop", RecommenderAction.RecommendItems, "recommended-for-you", out var forYou));
        Assert.Single(forYou.DefaultVariation.Filters);
    }

    [Fact]
    public async Task The_generated_document_loads_into_the_store()
    {
        Seed();
        var generated = await Generator().GenerateAsync(ConfigGenerationRequest.Parse("all"), CancellationToken.None);
        var store = new ConfigurationStore(new ManualTimeProvider());

        Assert.Equal(ConfigurationApplyStatus.Applied, store.TryApply(generated.Json, "generated").Status);
    }

    [Fact]
    public async Task Unknown_dataset_group_names_are_a_clear_error()
    {
        Seed();
        var error = await Assert.ThrowsAsync<ConfigGenerationException>(() => Generator().GenerateAsync(ConfigGenerationRequest.Parse("shop,nope,gone"), CancellationToken.None));
        Assert.Contains("nope, gone", error.Message, StringComparison.Ordinal);
        Assert.Contains("shop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_dataset_group_list_is_a_clear_error()
    {
        Assert.Throws<ConfigGenerationException>(() => ConfigGenerationRequest.Parse(" , "));
        Assert.True(ConfigGenerationRequest.Parse("ALL").AllDatasetGroups);
        Assert.Equal(["a", "b"], ConfigGenerationRequest.Parse("a, b,a").DatasetGroupNames);
    }
}
