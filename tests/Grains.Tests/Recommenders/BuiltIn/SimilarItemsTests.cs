using Xunit;
using Personalization.Grains.Recommenders.BuiltIn;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

public class SimilarItemsTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Cosine_of_cooccurrence_ranks_neighbours()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options(minSupport: 1));

        // C: users {u1,u4}. CD = 1/√(2·2) = 0.5; CA = CB = 1/√(2·3) ≈ 0.408 (tie → more co-occurrences, then first seen).
        var similar = model.Similar("C", 3);

        Assert.Equal(["D", "A", "B"], similar.Select(s => s.ItemId));
        Assert.Equal(0.5, similar[0].Score, Tolerance);
        Assert.Equal(1 / Math.Sqrt(6), similar[1].Score, Tolerance);
    }

    [Fact]
    public void Minimum_support_drops_rare_pairs_and_trending_fills_the_rest()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options(minSupport: 2));

        // Only AB (3 users) reaches support 2: cosine 3/√(3·3) = 1. The rest is trending with score 0.
        var similar = model.Similar("A", 3);

        Assert.Equal(new ScoredItem("B", 1), similar[0]);
        Assert.Equal(3, similar.Count);
        Assert.All(similar.Skip(1), s => Assert.Equal(0, s.Score));
        Assert.DoesNotContain("A", similar.Select(s => s.ItemId));
    }

    [Fact]
    public void Neighbours_are_bounded_per_item()
    {
        var options = ToyStore.Options(minSupport: 1);
        options.NeighboursPerItem = 1;
        var model = ToyStore.Train(ToyStore.Base(), options);

        var similar = model.Similar("C", 3);

        Assert.Equal("D", similar[0].ItemId);
        Assert.All(similar.Skip(1), s => Assert.Equal(0, s.Score));
    }

    [Fact]
    public void With_a_user_that_users_items_are_excluded()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options(minSupport: 1));

        var similar = model.Similar("C", 2, userId: "u4");

        Assert.DoesNotContain(similar, s => s.ItemId is "C" or "D");
        Assert.Equal("A", similar[0].ItemId);
    }

    [Fact]
    public void Unknown_item_gets_trending()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options());

        Assert.Equal(model.Trending(3).Select(s => s.ItemId), model.Similar("nope", 3).Select(s => s.ItemId));
    }
}
