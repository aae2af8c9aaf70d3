namespace Personalization.Grains.Recommenders.BuiltIn.Evaluation;

internal sealed class MetricAccumulator(string algorithm, int k)
{
    private readonly HashSet<string> _recommended = new(StringComparer.Ordinal);
    private double _hits;
    private double _ndcg;
    private int _users;

    public void Add(IReadOnlyList<ScoredItem> recommendations, IReadOnlySet<string> relevant)
    {
        var ranked = recommendations.Take(k).Select(r => r.ItemId).ToArray();
        _recommended.UnionWith(ranked);
        _hits += RankingMetrics.HitRate(ranked, relevant, k);
        _ndcg += RankingMetrics.Ndcg(ranked, relevant, k);
        _users++;
    }

    public AlgorithmMetrics Result(int catalogSize) => new(
        algorithm,
        _users == 0 ? 0 : _hits / _users,
        _users == 0 ? 0 : _ndcg / _users,
        catalogSize == 0 ? 0 : (double)_recommended.Count / catalogSize,
        _users);
}
