namespace Personalization.Grains.Recommenders;

/// <summary>One item as a recommender returns it (Personalize's PredictedItem, minus metadata: decoration adds that).</summary>
public readonly record struct RecommendedItem(string ItemId, double? Score = null, string? PromotionName = null, IReadOnlyList<string>? Reason = null);

/// <summary>What any backend (built-in, Personalize, HTTP) answers.</summary>
public sealed record RecommenderResult(IReadOnlyList<RecommendedItem> Items, string? RecommendationId);
