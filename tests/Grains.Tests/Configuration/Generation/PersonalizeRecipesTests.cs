using Personalization.Grains.Configuration;
using Personalization.Grains.Configuration.Generation;
using Xunit;

namespace Personalization.Grains.Tests.Configuration.Generation;

public sealed class PersonalizeRecipesTests
{
    [Theory]
    [InlineData("aws-ecomm-customers-who-viewed-x-also-viewed", RecommenderAction.RelatedItems)]
    [InlineData("aws-ecomm-frequently-bought-together", RecommenderAction.RelatedItems)]
    [InlineData("aws-ecomm-popular-items-by-purchases", RecommenderAction.RecommendItems)]
    [InlineData("aws-ecomm-popular-items-by-views", RecommenderAction.RecommendItems)]
    [InlineData("aws-ecomm-recommended-for-you", RecommenderAction.RecommendItems)]
    [InlineData("aws-vod-because-you-watched-x", RecommenderAction.RelatedItems)]
    [InlineData("aws-vod-more-like-x", RecommenderAction.RelatedItems)]
    [InlineData("aws-vod-most-popular", RecommenderAction.RecommendItems)]
    [InlineData("aws-vod-top-picks", RecommenderAction.RecommendItems)]
    [InlineData("aws-hrnn", RecommenderAction.RecommendItems)]
    [InlineData("aws-hrnn-coldstart", RecommenderAction.RecommendItems)]
    [InlineData("aws-hrnn-metadata", RecommenderAction.RecommendItems)]
    [InlineData("aws-personalized-ranking", RecommenderAction.RerankItems)]
    [InlineData("aws-popularity-count", RecommenderAction.RecommendItems)]
    [InlineData("aws-similar-items", RecommenderAction.RelatedItems)]
    [InlineData("aws-sims", RecommenderAction.RelatedItems)]
    [InlineData("aws-user-personalization", RecommenderAction.RecommendItems)]
    [InlineData("aws-user-personalization-v2", RecommenderAction.RecommendItems)]
    [InlineData("aws-personalized-ranking-v2", RecommenderAction.RerankItems)]
    [InlineData("aws-trending-now", RecommenderAction.RecommendItems)]
    [InlineData("aws-vod-trending-now", RecommenderAction.RecommendItems)]
    [InlineData("aws-semantic-similarity", RecommenderAction.RelatedItems)]
    public void Recipes_map_to_their_action(string recipe, RecommenderAction action)
    {
        Assert.True(PersonalizeRecipes.TryGetAction("arn:aws:personalize:::recipe/" + recipe, out var mapped));
        Assert.Equal(action, mapped);
    }

    [Theory]
    [InlineData("aws-next-best-action")]
    [InlineData("aws-item-affinity")]
    [InlineData("aws-item-attribute-affinity")]
    [InlineData("my-own-recipe")]
    public void Recipes_without_an_items_action_are_not_mapped(string recipe) =>
        Assert.False(PersonalizeRecipes.TryGetAction("arn:aws:personalize:::recipe/" + recipe, out _));

    [Theory]
    [InlineData("arn:aws:personalize:::recipe/aws-sims", "personalize-sims")]
    [InlineData("arn:aws-cn:personalize:::recipe/aws-user-personalization-v2", "personalize-user-personalization-v2")]
    [InlineData("arn:aws:personalize:::recipe/custom", "custom")]
    public void Variation_keys_replace_the_aws_prefix(string recipeArn, string key) =>
        Assert.Equal(key, PersonalizeRecipes.VariationKey(recipeArn));
}
