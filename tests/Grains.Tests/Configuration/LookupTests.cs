using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

public class LookupTests
{
    private static readonly ConfigurationSnapshot Snapshot = ConfigurationParser.Parse(Samples.Read("config_simple.json")).Snapshot!;

    [Fact]
    public void Span_lookups_find_what_string_lookups_find()
    {
        var path = "/recommend-items/my-store/recommended-for-you/u1".AsSpan();
        var ns = path.Slice(17, 8);
        var name = path.Slice(26, 19);

        Assert.True(Snapshot.TryGetRecommender(ns, RecommenderAction.RecommendItems, name, out var bySpan));
        Assert.True(Snapshot.TryGetRecommender("my-store", RecommenderAction.RecommendItems, "recommended-for-you", out var byString));
        Assert.Same(byString, bySpan);
        Assert.True(Snapshot.TryGetNamespace(ns, out _));
    }

    [Theory]
    [InlineData("other-store", RecommenderAction.RecommendItems, "recommended-for-you")]
    [InlineData("my-store", RecommenderAction.RelatedItems, "recommended-for-you")]
    [InlineData("my-store", RecommenderAction.RecommendItems, "Recommended-For-You")]
    public void Lookups_are_exact_per_namespace_action_and_name(string ns, RecommenderAction action, string name)
    {
        Assert.False(Snapshot.TryGetRecommender(ns, action, name, out _));
        Assert.False(Snapshot.TryGetRecommender(ns.AsSpan(), action, name.AsSpan(), out _));
    }

    [Theory]
    [InlineData("recommend-items", RecommenderAction.RecommendItems)]
    [InlineData("related-items", RecommenderAction.RelatedItems)]
    [InlineData("rerank-items", RecommenderAction.RerankItems)]
    public void Action_wire_names_round_trip(string wire, RecommenderAction action)
    {
        Assert.True(RecommenderActions.TryParse(wire, out var parsed));
        Assert.Equal(action, parsed);
        Assert.Equal(wire, action.ToWireName());
    }

    [Fact]
    public void Unknown_action_does_not_parse() => Assert.False(RecommenderActions.TryParse("rerank", out _));

    [Fact]
    public void Snapshot_keeps_raw_bytes_and_their_hash()
    {
        var bytes = Samples.Read("config_simple.json");

        Assert.Equal(bytes, Snapshot.RawJson.ToArray());
        Assert.Equal(ConfigurationParser.Hash(bytes), Snapshot.ContentHash);
        Assert.Equal(64, Snapshot.ContentHash.Length);
    }

    [Fact]
    public void Variation_lookup_by_key_and_default_is_first()
    {
        var snapshot = ConfigurationParser.Parse(Samples.Read("config_experiment.json")).Snapshot!;
        Assert.True(snapshot.TryGetRecommender("my-store", RecommenderAction.RelatedItems, "similar", out var r));

        Assert.Equal("sims", r.DefaultVariation.Key);
        Assert.True(r.TryGetVariation("similar-items", out var v));
        Assert.Equal("similar-items", v.Key);
        Assert.False(r.TryGetVariation("nope", out _));
    }

    [Fact]
    public void Hot_path_lookups_do_not_allocate()
    {
        const string path = "/recommend-items/my-store/recommended-for-you/u1";
        var found = 0;
        void Lookups()
        {
            var span = path.AsSpan();
            found += Snapshot.TryGetRecommender(span.Slice(17, 8), RecommenderAction.RecommendItems, span.Slice(26, 19), out _) ? 1 : 0;
            found += Snapshot.TryGetRecommender("my-store", RecommenderAction.RecommendItems, "recommended-for-you", out _) ? 1 : 0;
        }

        Lookups();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Lookups();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2002, found);
    }
}
