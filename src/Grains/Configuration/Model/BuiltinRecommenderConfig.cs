namespace Personalization.Grains.Configuration;

/// <summary>
/// Namespace extension `builtinRecommender`: what the built-in recommender trains on and how. Paths are relative to
/// the configuration file. Unset numbers keep the recommender's defaults.
/// </summary>
public sealed record BuiltinRecommenderConfig(
    string? InteractionsPath,
    double? PopularityHalfLifeDays,
    int? NeighboursPerItem,
    int? MinSupport,
    int? HistoryLength,
    bool? ExcludeInteracted,
    IReadOnlyDictionary<string, double> EventWeights);
