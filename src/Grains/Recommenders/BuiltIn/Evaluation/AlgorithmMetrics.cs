namespace Personalization.Grains.Recommenders.BuiltIn.Evaluation;

/// <summary>Averages over the test users; coverage is the share of catalog items recommended to anyone.</summary>
public sealed record AlgorithmMetrics(string Algorithm, double HitRate, double Ndcg, double Coverage, int Users);
