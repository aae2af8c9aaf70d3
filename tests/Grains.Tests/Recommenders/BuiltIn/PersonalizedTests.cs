using Xunit;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

public class PersonalizedTests
{
    private const double Tolerance = 1e-5;
    private const long T = ToyStore.T;
    private const long Day = ToyStore.Day;

    /// <summary>u6 viewed A a day (one history half-life) ago and bought D now. Users per item become A=4, B=3,
    /// C=2, D=3; co-counts AB=3, AD=2, AC=BC=BD=CD=1. Weights: A = 1·½, D = 4·1.
    /// B = ½·3/√12 + 4·1/√9 ≈ 1.7663; C = ½·1/√8 + 4·1/√6 ≈ 1.8098; A (if not excluded) = 4·2/√12 ≈ 2.3094.</summary>
    private static List<Interaction> WithU6() =>
    [
        .. ToyStore.Base(),
        new("u6", "A", T - Day, "view"),
        new("u6", "D", T, "purchase"),
    ];

    private static readonly double ExpectedB = 0.5 * 3 / Math.Sqrt(12) + 4 / Math.Sqrt(9);
    private static readonly double ExpectedC = 0.5 / Math.Sqrt(8) + 4 / Math.Sqrt(6);
    private static readonly double ExpectedA = 4 * 2 / Math.Sqrt(12);

    [Fact]
    public void Recent_items_vote_for_neighbours_by_event_weight_and_recency()
    {
        var model = ToyStore.Train(WithU6(), ToyStore.Options());

        var recommended = model.Recommend("u6", 2);

        Assert.Equal(["C", "B"], recommended.Select(r => r.ItemId));
        Assert.Equal(ExpectedC, recommended[0].Score, Tolerance);
        Assert.Equal(ExpectedB, recommended[1].Score, Tolerance);
    }

    [Fact]
    public void Event_weights_are_configurable()
    {
        var options = ToyStore.Options();
        options.EventWeights["purchase"] = 1;
        var model = ToyStore.Train(WithU6(), options);

        // B = ½·0.866 + 0.333 ≈ 0.766 now beats C = ½·0.354 + 0.408 ≈ 0.585.
        Assert.Equal(["B", "C"], model.Recommend("u6", 2).Select(r => r.ItemId));
    }

    [Fact]
    public void Interacted_items_are_excluded_unless_configured_otherwise()
    {
        var excluding = ToyStore.Train(WithU6(), ToyStore.Options());
        var options = ToyStore.Options();
        options.ExcludeInteracted = false;
        var including = ToyStore.Train(WithU6(), options);

        Assert.DoesNotContain(excluding.Recommend("u6", 5), r => r.ItemId is "A" or "D");
        var all = including.Recommend("u6", 2);
        Assert.Equal("A", all[0].ItemId);
        Assert.Equal(ExpectedA, all[0].Score, Tolerance);
    }

    [Fact]
    public void Cold_start_user_gets_trending_and_short_history_is_back_filled()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options(minSupport: 2));

        Assert.Equal(model.Trending(3).Select(t => t.ItemId), model.Recommend("stranger", 3).Select(r => r.ItemId));

        // u2 (A, B) has no neighbours outside its own items at support 2: all back-fill, none of A or B.
        var backFilled = model.Recommend("u2", 3);
        Assert.Equal(3, backFilled.Count);
        Assert.All(backFilled, r => Assert.Equal(0, r.Score));
        Assert.DoesNotContain(backFilled, r => r.ItemId is "A" or "B");
    }

    [Fact]
    public void An_observed_event_changes_the_next_recommendation()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options(minSupport: 2));
        Assert.All(model.Recommend("u7", 1), r => Assert.Equal(0, r.Score));

        model.Observe("u7", "A", "view", T + 10);

        // A's neighbour list (B at cosine 1) is re-scored only when A co-occurs again, so the trained value stands.
        Assert.Equal(new ScoredItem("B", 1), model.Recommend("u7", 1)[0]);
    }

    [Fact]
    public void Online_cooccurrence_creates_new_neighbours_once_support_is_reached()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options(minSupport: 2));

        model.Observe("u8", "C", "view", T + 1);
        model.Observe("u8", "E", "view", T + 2);
        Assert.DoesNotContain(model.Similar("C", 5), s => s.ItemId == "E" && s.Score > 0);

        model.Observe("u9", "C", "view", T + 3);
        model.Observe("u9", "E", "view", T + 4);

        // C: users u1,u4,u8,u9 = 4; E: u8,u9 = 2; co-count 2 → 2/√8.
        var similar = model.Similar("C", 1)[0];
        Assert.Equal("E", similar.ItemId);
        Assert.Equal(2 / Math.Sqrt(8), similar.Score, Tolerance);
        model.Observe("u10", "C", "view", T + 5);
        Assert.Equal("E", model.Recommend("u10", 1)[0].ItemId);
    }

    [Fact]
    public void Rerank_orders_by_user_score_then_popularity_and_drops_duplicates()
    {
        var model = ToyStore.Train(WithU6(), ToyStore.Options());

        var reranked = model.Rerank("u6", ["B", "X", "A", "C", "B"]);

        Assert.Equal(["A", "C", "B", "X"], reranked.Select(r => r.ItemId));
        Assert.Equal(ExpectedA, reranked[0].Score, Tolerance);
        Assert.Equal(0, reranked[3].Score);

        // No history: all scores 0, so popularity decides (A has views, E and unknown X none), then input order.
        Assert.Equal(["A", "X", "E"], model.Rerank("stranger", ["X", "E", "A"]).Select(r => r.ItemId));
    }

    [Fact]
    public void Concurrent_readers_and_writers_keep_the_model_consistent()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options(minSupport: 1));

        Parallel.For(0, 2_000, i =>
        {
            if (i % 2 == 0)
            {
                model.Observe($"w{i % 37}", $"N{i % 101}", "view", T + i);
            }
            else
            {
                Assert.True(model.Recommend($"w{i % 37}", 10).Count <= 10);
                Assert.NotNull(model.Similar($"N{i % 101}", 5));
            }
        });

        Assert.Equal(5 + 101, model.ItemCount);
        Assert.All(model.Recommend("w0", 10), r => Assert.False(double.IsNaN(r.Score)));
    }

    [Fact]
    public void Online_neighbour_lists_stay_sorted_and_bounded()
    {
        var options = ToyStore.Options(minSupport: 1);
        options.NeighboursPerItem = 3;
        options.CooccurrenceWindow = 50;
        var model = BuiltInRecommender.CreateEmpty(ToyStore.Catalog, options);

        // Hub H co-occurs with P0..P7; P(k) is seen with H by k+1 users, so the strongest pairs are P7, P6, P5.
        var time = T;
        for (var k = 0; k < 8; k++)
        {
            for (var u = 0; u <= k; u++)
            {
                model.Observe($"p{k}-{u}", "H", "view", time++);
                model.Observe($"p{k}-{u}", $"P{k}", "view", time++);
            }
        }

        var similar = model.Similar("H", 3);
        Assert.Equal(["P7", "P6", "P5"], similar.Select(s => s.ItemId));
        Assert.True(similar[0].Score >= similar[1].Score && similar[1].Score >= similar[2].Score);
        Assert.Equal(0, model.Similar("H", 4)[3].Score);
    }
}
