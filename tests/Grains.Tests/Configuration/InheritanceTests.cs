using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

public class InheritanceTests
{
    private static string Cache(int user) => $$"""
        { "userSpecified": { "maxAge": {{user}}, "directives": "private" }, "syntheticUserSpecified": { "maxAge": {{user + 1}} }, "noUserSpecified": { "directives": "no-store" } }
        """;

    private static string Context(string field) => $$"""{ "{{field}}": { "type": "string", "rules": [{ "type": "header-value", "header": "x-{{field}}" }] } }""";

    private static string Filters(string name) => $$"""[{ "arn": "arn:aws:personalize:us-east-1:123456789012:filter/{{name}}" }]""";

    private static string Metadata(int sync) => $$"""{ "type": "localdb", "syncInterval": {{sync}} }""";

    private static string Level(string tag, int n) =>
        $"\"cacheControl\": {Cache(n)}, \"autoContext\": {Context(tag)}, \"filters\": {Filters(tag)}, \"inferenceItemMetadata\": {Metadata(n)}";

    private static ConfigurationSnapshot Build(bool ns, bool recommender, bool variation) => Samples.Valid($$"""
        { {{Level("root", 10)}},
          "namespaces": { "n": { {{(ns ? Level("ns", 20) + "," : "")}}
            "recommenders": { "recommend-items": { "r": { {{(recommender ? Level("rec", 30) + "," : "")}}
              "variations": {
                "v": { {{(variation ? Level("var", 40) + "," : "")}} "type": "builtin" },
                "plain": { "type": "builtin" } } } } } } } }
        """);

    [Theory]
    [InlineData(false, false, false, "root", 10)]
    [InlineData(true, false, false, "ns", 20)]
    [InlineData(true, true, false, "rec", 30)]
    [InlineData(false, true, false, "rec", 30)]
    [InlineData(true, true, true, "var", 40)]
    [InlineData(false, false, true, "var", 40)]
    public void Nearest_level_wins_for_all_four_settings(bool ns, bool recommender, bool variation, string tag, int n)
    {
        var snapshot = Build(ns, recommender, variation);
        Assert.True(snapshot.TryGetRecommender("n", RecommenderAction.RecommendItems, "r", out var r));
        var v = r.Variations[0];

        Assert.Equal(n, v.CacheControl.UserSpecified.MaxAge);
        Assert.Equal(tag, Assert.Single(v.AutoContext.Fields).Name);
        Assert.Equal(tag, Assert.Single(v.Filters).Name);
        Assert.Equal(n, v.InferenceItemMetadata!.SyncIntervalSeconds);
    }

    [Fact]
    public void A_child_replaces_the_whole_cache_control_object_without_deep_merge()
    {
        // The namespace sets only userSpecified; the root's other classes must NOT leak through.
        var snapshot = Samples.Valid($$"""
            { "cacheControl": {{Cache(10)}},
              "namespaces": { "n": { "cacheControl": { "userSpecified": { "maxAge": 99 } },
                "recommenders": { "recommend-items": { "r": { "variations": { "v": { "type": "builtin" } } } } } } } }
            """);
        Assert.True(snapshot.TryGetRecommender("n", RecommenderAction.RecommendItems, "r", out var r));

        Assert.Equal("max-age=99", r.DefaultVariation.CachePolicyFor(UserClass.UserSpecified).HeaderValue);
        Assert.Same(CachePolicy.NoCaching, r.DefaultVariation.CachePolicyFor(UserClass.SyntheticUserSpecified));
        Assert.Same(CachePolicy.NoCaching, r.DefaultVariation.CachePolicyFor(UserClass.NoUserSpecified));
    }

    [Fact]
    public void A_child_replaces_the_whole_auto_context_and_an_empty_filter_list_clears_filters()
    {
        var snapshot = Samples.Valid($$"""
            { "autoContext": {
                "a": { "type": "string", "rules": [{ "type": "header-value", "header": "x-a" }] },
                "b": { "type": "string", "rules": [{ "type": "header-value", "header": "x-b" }] } },
              "filters": {{Filters("root")}},
              "namespaces": { "n": { "autoContext": {{Context("c")}},
                "recommenders": { "recommend-items": { "r": { "variations": { "v": { "type": "builtin", "filters": [] } } } } } } } }
            """);
        Assert.True(snapshot.TryGetRecommender("n", RecommenderAction.RecommendItems, "r", out var r));

        Assert.Equal(["c"], r.DefaultVariation.AutoContext.Fields.Select(f => f.Name));
        Assert.Empty(r.DefaultVariation.Filters);
    }

    [Fact]
    public void Sibling_variation_without_overrides_keeps_the_recommender_level()
    {
        var snapshot = Build(ns: true, recommender: true, variation: true);
        Assert.True(snapshot.TryGetRecommender("n", RecommenderAction.RecommendItems, "r", out var r));

        Assert.Equal(30, r.Variations[1].CacheControl.UserSpecified.MaxAge);
    }

    [Fact]
    public void Namespace_level_settings_are_what_decoration_and_events_read()
    {
        var snapshot = Build(ns: false, recommender: true, variation: true);
        Assert.True(snapshot.TryGetNamespace("n", out var ns));

        Assert.Equal(10, ns.InferenceItemMetadata!.SyncIntervalSeconds);
        Assert.Equal("root", Assert.Single(ns.AutoContext.Fields).Name);
        Assert.Equal(10, ns.CacheControl.UserSpecified.MaxAge);
    }

    [Fact]
    public void Without_any_cache_control_the_documented_default_applies()
    {
        var snapshot = Samples.Valid(Samples.WithVariation("""{ "type": "builtin" }"""));
        Assert.True(snapshot.TryGetRecommender("my-store", RecommenderAction.RecommendItems, "top-picks", out var r));

        foreach (var userClass in Enum.GetValues<UserClass>())
        {
            Assert.Equal("private, max-age=0", r.DefaultVariation.CachePolicyFor(userClass).HeaderValue);
            Assert.Equal(0, r.DefaultVariation.CachePolicyFor(userClass).EffectiveMaxAge);
        }
    }
}
