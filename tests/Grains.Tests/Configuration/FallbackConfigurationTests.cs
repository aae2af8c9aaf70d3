using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

/// <summary>Issue 15's configuration: `fallbacks`, `fallbackToTrending`, `maxRequestsPerSecond`, `staleIfError`, `fallbackMaxAge`.</summary>
public class FallbackConfigurationTests
{
    private const string V = "namespaces.my-store.recommenders.recommend-items.top-picks.variations.v1";
    private const string Arn = Samples.CampaignArn;

    private static ResolvedVariation Variation(string json)
    {
        var snapshot = Samples.Valid(Samples.WithVariation(json));
        Assert.True(snapshot.TryGetNamespace("my-store", out var ns));
        Assert.True(ns.TryGetRecommender(RecommenderAction.RecommendItems, "top-picks", out var recommender));
        return recommender.DefaultVariation;
    }

    [Fact]
    public void Fallbacks_are_inline_variations_in_order_inheriting_the_primary_settings()
    {
        var variation = Variation($$"""
            { "type": "personalize-campaign", "arn": "{{Arn}}", "maxRequestsPerSecond": 400,
              "filters": [{ "name": "cheap", "expression": "INCLUDE ItemID WHERE Items.price < 10" }],
              "fallbacks": [
                { "type": "personalize-recommender", "arn": "arn:aws:personalize:us-east-1:123456789012:recommender/popular" },
                { "type": "http", "url": "https://recs.example.com/{userId}", "filters": [] },
                { "type": "builtin", "algorithm": "trending" } ] }
            """);
        Assert.Equal(400, variation.MaxRequestsPerSecond);
        Assert.True(variation.FallbackToTrending);
        Assert.Equal([VariationType.PersonalizeRecommender, VariationType.Http, VariationType.Builtin], variation.FallbackChain.Select(f => f.Type));
        Assert.Equal(["v1/fallback-1", "v1/fallback-2", "v1/fallback-3"], variation.FallbackChain.Select(f => f.Key));
        Assert.Equal("cheap", Assert.Single(variation.FallbackChain[0].Filters).Name);
        Assert.Empty(variation.FallbackChain[1].Filters);
        Assert.Equal(BuiltinAlgorithm.Trending, variation.FallbackChain[2].Builtin!.Algorithm);
        Assert.Equal("arn:aws:personalize:us-east-1:123456789012:recommender/popular", variation.FallbackChain[0].BackendKey);
    }

    [Fact]
    public void A_variation_without_fallbacks_has_an_empty_chain()
    {
        var variation = Variation($$"""{ "type": "personalize-campaign", "arn": "{{Arn}}" }""");
        Assert.Empty(variation.FallbackChain);
        Assert.Null(variation.MaxRequestsPerSecond);
    }

    [Theory]
    [InlineData("""{ "type": "builtin", "fallbacks": {} }""", V + ".fallbacks: must be an array of variation objects")]
    [InlineData("""{ "type": "builtin", "fallbacks": [ "x" ] }""", V + ".fallbacks[0]: must be an object")]
    [InlineData("""{ "type": "builtin", "fallbacks": [ { "type": "nope" } ] }""", V + ".fallbacks[0].type: unknown variation type 'nope' (expected personalize-campaign, personalize-recommender, lambda, sagemaker, http or builtin)")]
    [InlineData("""{ "type": "builtin", "fallbacks": [ { "type": "builtin" }, { "type": "http" } ] }""", V + ".fallbacks[1].url: is required")]
    [InlineData("""{ "type": "builtin", "fallbacks": [ { "type": "builtin", "fallbacks": [ { "type": "builtin" } ] } ] }""", V + ".fallbacks[0].fallbacks: a fallback cannot have fallbacks of its own; list them all on the variation")]
    [InlineData("""{ "type": "http", "url": "https://x.example", "maxRequestsPerSecond": 0 }""", V + ".maxRequestsPerSecond: must be between 1 and 1000000")]
    [InlineData("""{ "type": "builtin", "fallbackToTrending": "no" }""", V + ".fallbackToTrending: must be true or false")]
    public void Fallback_errors_name_their_path(string variation, string expected) =>
        Assert.Equal([expected], Samples.Errors(Samples.WithVariation(variation)));

    [Fact]
    public void FallbackToTrending_is_inherited_and_can_be_turned_back_on()
    {
        var snapshot = Samples.Valid($$"""
            { "fallbackToTrending": false,
              "namespaces": { "my-store": { "recommenders": { "recommend-items": {
                "off": { "variations": { "v1": { "type": "personalize-campaign", "arn": "{{Arn}}" } } },
                "on": { "variations": { "v1": { "type": "personalize-campaign", "arn": "{{Arn}}", "fallbackToTrending": true } } } } } } } }
            """);
        Assert.True(snapshot.TryGetNamespace("my-store", out var ns));
        Assert.True(ns.TryGetRecommender(RecommenderAction.RecommendItems, "off", out var off));
        Assert.True(ns.TryGetRecommender(RecommenderAction.RecommendItems, "on", out var on));
        Assert.False(off.DefaultVariation.FallbackToTrending);
        Assert.True(on.DefaultVariation.FallbackToTrending);
    }

    [Fact]
    public void StaleIfError_and_fallbackMaxAge_are_read_per_policy_or_for_all_classes()
    {
        var variation = Variation($$"""
            { "type": "personalize-campaign", "arn": "{{Arn}}",
              "cacheControl": { "staleIfError": 300,
                "userSpecified": { "maxAge": 60, "directives": "private", "fallbackMaxAge": 2 },
                "syntheticUserSpecified": { "maxAge": 60, "staleIfError": 30 },
                "noUserSpecified": { "maxAge": 3 } } }
            """);
        var user = variation.CachePolicyFor(UserClass.UserSpecified);
        Assert.Equal(300, user.StaleIfError);
        Assert.Equal(2, user.EffectiveFallbackMaxAge);
        Assert.Equal("private, max-age=2", user.FallbackHeaderValue);
        Assert.Equal(30, variation.CachePolicyFor(UserClass.SyntheticUserSpecified).StaleIfError);
        Assert.Equal(5, variation.CachePolicyFor(UserClass.SyntheticUserSpecified).EffectiveFallbackMaxAge);

        // A fallback never outlives what the primary answer would have been allowed.
        Assert.Equal(3, variation.CachePolicyFor(UserClass.NoUserSpecified).EffectiveFallbackMaxAge);
    }

    [Fact]
    public void Negative_staleIfError_names_the_path()
    {
        var errors = Samples.Errors(Samples.WithVariation($$"""
            { "type": "builtin", "cacheControl": { "userSpecified": { "maxAge": 1, "staleIfError": -1 },
              "syntheticUserSpecified": { "maxAge": 1 }, "noUserSpecified": { "maxAge": 1 } } }
            """));
        Assert.Equal([V + ".cacheControl.userSpecified.staleIfError: must be at least 0"], errors);
    }
}
