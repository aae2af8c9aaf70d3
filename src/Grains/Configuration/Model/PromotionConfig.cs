namespace Personalization.Grains.Configuration;

/// <summary>
/// A Personalize promotion of a variation (extension; GetRecommendations <c>promotions</c>): <paramref name="PercentPromotedItems"/>
/// percent of the items come from the filter <paramref name="FilterArn"/>, marked with <c>promotionName</c> = <paramref name="Name"/>.
/// </summary>
public sealed record PromotionConfig(string Name, int PercentPromotedItems, string FilterArn, IReadOnlyDictionary<string, string> FilterValues);
