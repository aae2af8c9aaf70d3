namespace Personalization.Grains.Recommenders;

/// <summary>
/// One item as a recommender returns it (Personalize's PredictedItem). Metadata is the UTF-8 JSON object a backend
/// returned itself (Personalize `metadataColumns`); empty when decoration has to add it.
/// </summary>
public readonly record struct RecommendedItem(
    string ItemId,
    double? Score = null,
    string? PromotionName = null,
    IReadOnlyList<string>? Reason = null,
    ReadOnlyMemory<byte> Metadata = default);

/// <summary>What any backend (built-in, Personalize, HTTP) answers.</summary>
public sealed record RecommenderResult(IReadOnlyList<RecommendedItem> Items, string? RecommendationId);
