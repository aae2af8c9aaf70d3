namespace Personalization.Grains.Experiments;

/// <summary>The experiments of one recommender under one action (recommend-items, related-items, rerank-items).</summary>
public sealed record RecommenderExperiments(string Action, IReadOnlyList<ExperimentDefinition> Experiments);
