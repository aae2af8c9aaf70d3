using Personalization.Grains.Experiments;
using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

public class SampleConfigTests
{
    [Theory]
    [InlineData("config_simple.json")]
    [InlineData("config_experiment.json")]
    [InlineData("config_auto_context.json")]
    [InlineData("config_custom_lambda.json")]
    [InlineData("config_extensions.json")]
    public void Every_sample_loads_unchanged(string file)
    {
        var result = ConfigurationParser.Parse(Samples.Read(file));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.NotEmpty(result.Snapshot!.Namespaces);
    }

    [Fact]
    public void Config_simple_resolves_its_three_recommenders_cache_and_tracker()
    {
        var result = ConfigurationParser.Parse(Samples.Read("config_simple.json"));
        var snapshot = result.Snapshot!;

        Assert.Equal("1", snapshot.Version);
        Assert.True(snapshot.TryGetRecommender("my-store", RecommenderAction.RecommendItems, "recommended-for-you", out var rfy));
        Assert.True(snapshot.TryGetRecommender("my-store", RecommenderAction.RelatedItems, "similar", out _));
        Assert.True(snapshot.TryGetRecommender("my-store", RecommenderAction.RerankItems, "personalized-ranking", out _));

        var variation = rfy.DefaultVariation;
        Assert.Equal("user-personalization", variation.Key);
        Assert.Equal(VariationType.PersonalizeCampaign, variation.Type);
        Assert.Equal("private, max-age=10", variation.CachePolicyFor(UserClass.UserSpecified).HeaderValue);
        Assert.Equal("public, max-age=300", variation.CachePolicyFor(UserClass.SyntheticUserSpecified).HeaderValue);
        Assert.Equal("public, max-age=1200", variation.CachePolicyFor(UserClass.NoUserSpecified).HeaderValue);
        Assert.Equal("[FILTER_NAME]", Assert.Single(variation.Filters).Name);

        Assert.True(snapshot.TryGetNamespace("my-store", out var ns));
        Assert.Equal("My Store", ns.Name);
        Assert.Equal(ItemMetadataType.LocalDb, ns.InferenceItemMetadata!.Type);
        Assert.Equal(300, ns.InferenceItemMetadata.SyncIntervalSeconds);
        var tracker = Assert.Single(ns.EventTargets);
        Assert.Equal(EventTargetType.PersonalizeEventTracker, tracker.Type);
        Assert.Equal("[TRACKING_ID]", tracker.TrackingId);
    }

    [Fact]
    public void Placeholder_arns_of_the_shipped_samples_are_warnings_not_errors()
    {
        var result = ConfigurationParser.Parse(Samples.Read("config_simple.json"));

        Assert.Empty(result.Errors);
        Assert.Contains(
            "namespaces.my-store.recommenders.recommend-items.recommended-for-you.variations.user-personalization.arn: placeholder ARN; calls through it fail until it is replaced",
            result.Warnings.Select(w => w.ToString()));
        Assert.Contains(
            "namespaces.my-store.recommenders.recommend-items.recommended-for-you.variations.user-personalization.filters[0].arn: placeholder ARN; calls through it fail until it is replaced",
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Config_experiment_serves_evidently_with_all_variations_as_equal_arms()
    {
        var snapshot = ConfigurationParser.Parse(Samples.Read("config_experiment.json")).Snapshot!;

        Assert.True(snapshot.TryGetRecommender("my-store", RecommenderAction.RelatedItems, "similar", out var similar));
        Assert.Equal(["sims", "similar-items"], similar.Variations.Select(v => v.Key));
        var experiment = similar.Experiments["product-detail-view"];
        Assert.Equal(ExperimentMethod.Evidently, experiment.Method);
        Assert.Equal("my-store", experiment.Project);
        Assert.Equal("product-detail-view", experiment.Salt);
        Assert.Equal("sims", experiment.Control);
        Assert.Equal([new ExperimentArm("sims", 1), new ExperimentArm("similar-items", 1)], experiment.Arms);
        var metric = Assert.Single(experiment.Metrics);
        Assert.Equal(new ExperimentMetric("productDetailRecClicked", "userDetails.userId", "details.productClicked", true), metric);
    }

    [Fact]
    public void Config_auto_context_resolves_fields_and_the_filter_dynamic_value()
    {
        var snapshot = ConfigurationParser.Parse(Samples.Read("config_auto_context.json")).Snapshot!;

        Assert.True(snapshot.TryGetNamespace("my-store", out var ns));
        Assert.Equal(["deviceType", "timeOfDay", "city"], ns.AutoContext.Fields.Select(f => f.Name));
        Assert.True(ns.AutoContext.Fields[0].EvaluateAll);
        Assert.Equal("Desktop", ns.AutoContext.Fields[0].Default!.Value.Text);
        Assert.True(ns.TryGetRecommender(RecommenderAction.RecommendItems, "product-recommender", out var recommender));

        var variation = recommender.DefaultVariation;
        Assert.Same(ns.AutoContext, variation.AutoContext);
        var filter = Assert.Single(variation.Filters);
        Assert.Equal("METRO_CODE", Assert.Single(filter.AutoDynamicFilterValues!.Fields).Name);
        Assert.Equal(CacheControlConfig.Default, variation.CacheControl);
    }

    [Fact]
    public void Custom_lambda_recommender_keeps_its_arn()
    {
        var result = ConfigurationParser.Parse(Samples.Read("config_custom_lambda.json"));

        Assert.Empty(result.Warnings);
        Assert.True(result.Snapshot!.TryGetRecommender("my-namespace", RecommenderAction.RecommendItems, "lambda-recs", out var recommender));
        Assert.Equal(VariationType.Lambda, recommender.DefaultVariation.Type);
        Assert.Equal("arn:aws:lambda:us-east-1:999999999999:function:My-Custom-Function", recommender.DefaultVariation.Arn);
        Assert.Null(result.Snapshot.Version);
    }

    [Fact]
    public void Function_is_accepted_as_the_documented_alias_of_lambda()
    {
        var snapshot = Samples.Valid(Samples.WithVariation("""{ "type": "function", "arn": "arn:aws:lambda:eu-west-1:123456789012:function/recs" }"""));

        Assert.True(snapshot.TryGetRecommender("my-store", RecommenderAction.RecommendItems, "top-picks", out var recommender));
        Assert.Equal(VariationType.Lambda, recommender.DefaultVariation.Type);
    }

    [Fact]
    public void Extensions_sample_resolves_builtin_options_experiment_and_targets()
    {
        var snapshot = ConfigurationParser.Parse(Samples.Read("config_extensions.json")).Snapshot!;

        Assert.True(snapshot.TryGetNamespace("demo", out var ns));
        Assert.Equal("samples/catalog.jsonl.gz", ns.InferenceItemMetadata!.Path);
        Assert.True(ns.TryGetRecommender(RecommenderAction.RecommendItems, "top-picks", out var topPicks));
        Assert.Equal(new BuiltinOptions(BuiltinAlgorithm.Personalized, null, true), topPicks.Variations[0].Builtin);
        Assert.Equal(new BuiltinOptions(BuiltinAlgorithm.Trending, "genre", false), topPicks.Variations[1].Builtin);
        Assert.Equal(["in-stock", "not-genre"], topPicks.Variations[0].Filters.Select(f => f.Name));
        Assert.True(topPicks.Variations[0].Filters[1].UserRequired);

        var experiment = topPicks.Experiments["home-page"];
        Assert.Equal(ExperimentMethod.Builtin, experiment.Method);
        Assert.Equal("home-2026", experiment.Salt);
        Assert.Equal([new ExperimentArm("personalized", 80), new ExperimentArm("trending", 20)], experiment.Arms);
        Assert.Equal("trending", experiment.Control);
        Assert.Equal(0.05, experiment.Holdout);
        Assert.Equal("home", experiment.Layer);
        Assert.Equal(0.5, experiment.LayerWeight);
        Assert.Equal("personalized", experiment.Overrides["qa-user-1"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), experiment.Start);

        Assert.True(ns.TryGetRecommender(RecommenderAction.RelatedItems, "similar", out var similar));
        Assert.Equal(BuiltinAlgorithm.SimilarItems, similar.DefaultVariation.Builtin!.Algorithm);
        Assert.True(ns.TryGetRecommender(RecommenderAction.RerankItems, "ranking", out var ranking));
        Assert.Equal(BuiltinAlgorithm.Rerank, ranking.DefaultVariation.Builtin!.Algorithm);

        Assert.Equal(30, topPicks.DefaultVariation.CachePolicyFor(UserClass.UserSpecified).StaleWhileRevalidate);
        Assert.Equal(120, topPicks.DefaultVariation.CachePolicyFor(UserClass.NoUserSpecified).StaleWhileRevalidate);

        Assert.Collection(
            ns.EventTargets,
            file =>
            {
                Assert.Equal(EventTargetType.File, file.Type);
                Assert.Equal(1048576, file.MaxBytes);
                Assert.Equal(EventDeliveryMode.Async, file.Mode);
            },
            kinesis =>
            {
                Assert.Equal(("clicks", "userId", false, EventDeliveryMode.Sync), (kinesis.StreamName, kinesis.PartitionKey, kinesis.Envelope, kinesis.Mode));
            },
            firehose => Assert.Equal(("to-s3", EventTargetType.KinesisFirehose), (firehose.StreamName, firehose.Type)));
    }
}
