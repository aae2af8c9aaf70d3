using System.Collections.Frozen;

namespace Personalization.Grains.Configuration.Generation;

/// <summary>
/// Which action a Personalize recipe serves. The first 17 are the original generator's map; the rest are recipes
/// published since (v2 recipes, Trending-Now, Semantic-Similarity). Recipes that recommend users or actions
/// (item-affinity, next-best-action) have no items action and are left out on purpose.
/// </summary>
public static class PersonalizeRecipes
{
    private static readonly FrozenDictionary<string, RecommenderAction> Actions = new Dictionary<string, RecommenderAction>(StringComparer.Ordinal)
    {
        ["aws-ecomm-customers-who-viewed-x-also-viewed"] = RecommenderAction.RelatedItems,
        ["aws-ecomm-frequently-bought-together"] = RecommenderAction.RelatedItems,
        ["aws-ecomm-popular-items-by-purchases"] = RecommenderAction.RecommendItems,
        ["aws-ecomm-popular-items-by-views"] = RecommenderAction.RecommendItems,
        ["aws-ecomm-recommended-for-you"] = RecommenderAction.RecommendItems,
        ["aws-vod-because-you-watched-x"] = RecommenderAction.RelatedItems,
        ["aws-vod-more-like-x"] = RecommenderAction.RelatedItems,
        ["aws-vod-most-popular"] = RecommenderAction.RecommendItems,
        ["aws-vod-top-picks"] = RecommenderAction.RecommendItems,
        ["aws-hrnn"] = RecommenderAction.RecommendItems,
        ["aws-hrnn-coldstart"] = RecommenderAction.RecommendItems,
        ["aws-hrnn-metadata"] = RecommenderAction.RecommendItems,
        ["aws-personalized-ranking"] = RecommenderAction.RerankItems,
        ["aws-popularity-count"] = RecommenderAction.RecommendItems,
        ["aws-similar-items"] = RecommenderAction.RelatedItems,
        ["aws-sims"] = RecommenderAction.RelatedItems,
        ["aws-user-personalization"] = RecommenderAction.RecommendItems,

        ["aws-user-personalization-v2"] = RecommenderAction.RecommendItems,
        ["aws-personalized-ranking-v2"] = RecommenderAction.RerankItems,
        ["aws-trending-now"] = RecommenderAction.RecommendItems,
        ["aws-semantic-similarity"] = RecommenderAction.RelatedItems,
        ["aws-vod-trending-now"] = RecommenderAction.RecommendItems,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The recipe name from its ARN ("arn:aws:personalize:::recipe/aws-sims" → "aws-sims").</summary>
    public static string NameOf(string recipeArn) => recipeArn[(recipeArn.LastIndexOf('/') + 1)..];

    public static bool TryGetAction(string recipeArn, out RecommenderAction action) => Actions.TryGetValue(NameOf(recipeArn), out action);

    /// <summary>The variation key: the recipe name with its "aws-" prefix replaced by "personalize-".</summary>
    public static string VariationKey(string recipeArn)
    {
        var name = NameOf(recipeArn);
        return name.StartsWith("aws-", StringComparison.Ordinal) ? "personalize-" + name["aws-".Length..] : name;
    }

    public static string WireName(RecommenderAction action) => action switch
    {
        RecommenderAction.RecommendItems => "recommend-items",
        RecommenderAction.RelatedItems => "related-items",
        _ => "rerank-items",
    };
}
