namespace Personalization.Grains.Recommenders.BuiltIn.Evaluation;

/// <summary>Top-K metrics with binary relevance.</summary>
public static class RankingMetrics
{
    /// <summary>1 when any of the first <paramref name="k"/> items is relevant, else 0.</summary>
    public static double HitRate(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k)
    {
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                return 1;
            }
        }

        return 0;
    }

    /// <summary>DCG (Σ 1/log2(rank+1) over relevant hits) over the ideal DCG of min(|relevant|, k) hits.</summary>
    public static double Ndcg(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k)
    {
        if (relevant.Count == 0)
        {
            return 0;
        }

        var dcg = 0.0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
            }
        }

        var ideal = 0.0;
        for (var i = 0; i < Math.Min(k, relevant.Count); i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }

        return dcg / ideal;
    }
}
