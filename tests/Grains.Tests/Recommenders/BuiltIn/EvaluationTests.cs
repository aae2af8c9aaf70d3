using Xunit;
using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn;
using Personalization.Grains.Recommenders.BuiltIn.Evaluation;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

public class EvaluationTests
{
    [Fact]
    public void Ndcg_and_hit_rate_match_hand_computation()
    {
        string[] ranked = ["x", "a", "y", "b"];
        var relevant = new HashSet<string> { "a", "b", "c" };

        // DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3) + 1/log2(4).
        var expected = (1 / Math.Log2(3) + 1 / Math.Log2(5)) / (1 + 1 / Math.Log2(3) + 0.5);
        Assert.Equal(expected, RankingMetrics.Ndcg(ranked, relevant, 4), 1e-12);
        Assert.Equal(0.49819, RankingMetrics.Ndcg(ranked, relevant, 4), 1e-5);
        Assert.Equal(1 / Math.Log2(3) / (1 + 1 / Math.Log2(3)), RankingMetrics.Ndcg(ranked, relevant, 2), 1e-12);
        Assert.Equal(0, RankingMetrics.Ndcg(ranked, relevant, 1));
        Assert.Equal(1, RankingMetrics.HitRate(ranked, relevant, 2));
        Assert.Equal(0, RankingMetrics.HitRate(ranked, relevant, 1));
    }

    [Fact]
    public void Time_split_evaluation_on_a_tiny_known_split()
    {
        const long day = 86_400;
        const long start = 1_000_000;
        Interaction[] interactions =
        [
            // Training (before the last day): A and B go together; Z is popular on its own.
            new("u1", "A", start, "view"), new("u1", "B", start + 1, "view"),
            new("u2", "A", start + 2, "view"), new("u2", "B", start + 3, "view"),
            new("u3", "A", start + 4, "view"),
            new("u4", "Z", start + 5, "view"), new("u5", "Z", start + 6, "view"), new("u6", "Z", start + 7, "view"),
            // Test (the last day): u3 comes back for B; u7 has no training history and is not a test user.
            new("u3", "B", start + 3 * day, "view"),
            new("u7", "A", start + 3 * day, "view"),
        ];
        var options = new EvaluationOptions { HoldoutDays = 1, K = 2, Recommender = new BuiltInRecommenderOptions { MinSupport = 2 } };

        var report = OfflineEvaluator.Evaluate(interactions, ItemCatalog.Empty, options);

        Assert.Equal(8, report.TrainInteractions);
        Assert.Equal(2, report.TestInteractions);
        Assert.Equal(1, report.TestUsers);
        var byName = report.Algorithms.ToDictionary(a => a.Algorithm);
        // Personalized and similar-to-A rank B first: [B, Z] → NDCG 1; coverage {B, Z} of 3 known items.
        Assert.Equal(new AlgorithmMetrics(OfflineEvaluator.Personalized, 1, 1, 2.0 / 3, 1), byName[OfflineEvaluator.Personalized]);
        Assert.Equal(1, byName[OfflineEvaluator.SimilarItems].Ndcg);
        // Popularity ranks Z (3 views) before B (2): [Z, B] → NDCG = (1/log2 3) / 1.
        var popularity = byName[OfflineEvaluator.Popularity];
        Assert.Equal(1, popularity.HitRate);
        Assert.Equal(1 / Math.Log2(3), popularity.Ndcg, 1e-12);
    }
}
