using System.Diagnostics.CodeAnalysis;

namespace Personalization.Grains.Configuration;

public static class RecommenderActions
{
    public const string RecommendItems = "recommend-items";
    public const string RelatedItems = "related-items";
    public const string RerankItems = "rerank-items";

    public static readonly RecommenderAction[] All = [RecommenderAction.RecommendItems, RecommenderAction.RelatedItems, RecommenderAction.RerankItems];

    public static string ToWireName(this RecommenderAction action) => action switch
    {
        RecommenderAction.RecommendItems => RecommendItems,
        RecommenderAction.RelatedItems => RelatedItems,
        _ => RerankItems,
    };

    public static bool TryParse(ReadOnlySpan<char> wireName, [NotNullWhen(true)] out RecommenderAction? action)
    {
        action = wireName switch
        {
            RecommendItems => RecommenderAction.RecommendItems,
            RelatedItems => RecommenderAction.RelatedItems,
            RerankItems => RecommenderAction.RerankItems,
            _ => null,
        };
        return action is not null;
    }
}
