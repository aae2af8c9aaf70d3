using System.Text.Json;
using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

/// <summary>Issue 16: lambda and sagemaker variations, responsePostProcessor settings and Personalize promotions.</summary>
public sealed class FunctionAndPromotionConfigurationTests
{
    private const string V = "namespaces.my-store.recommenders.recommend-items.top-picks.variations.v1";
    private const string Filter = "arn:aws:personalize:us-east-1:123456789012:filter/promoted";

    private static ResolvedRecommender Recommender(string json)
    {
        Assert.True(Samples.Valid(json).TryGetRecommender("my-store", RecommenderAction.RecommendItems, "top-picks", out var recommender));
        return recommender;
    }

    private static ResolvedVariation Variation(string variation) => Recommender(Samples.WithVariation(variation)).DefaultVariation;

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:recs", null)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:recs:live", null)]
    [InlineData("recs", "7")]
    [InlineData("123456789012:function:recs", "live")]
    public void A_lambda_variation_names_its_function_by_ARN_partial_ARN_or_name_with_an_optional_qualifier(string function, string? qualifier)
    {
        var qualifierJson = qualifier is null ? string.Empty : $$""", "qualifier": "{{qualifier}}" """;
        var variation = Variation($$"""{ "type": "function", "arn": "{{function}}"{{qualifierJson}} }""");

        Assert.Equal((VariationType.Lambda, function, qualifier), (variation.Type, variation.Arn, variation.Qualifier));
    }

    [Fact]
    public void The_repositorys_functions_sample_loads_without_errors_or_warnings()
    {
        var result = ConfigurationParser.Parse(Samples.Read("repository-functions.json"));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.True(result.Snapshot!.TryGetRecommender("custom-store", RecommenderAction.RecommendItems, "promoted", out var promoted));
        Assert.Equal("house-brand", Assert.Single(promoted.DefaultVariation.Promotions).Name);
        Assert.True(result.Snapshot.TryGetRecommender("custom-store", RecommenderAction.RelatedItems, "sagemaker-similar", out var similar));
        Assert.Equal("personalization-similar", similar.DefaultVariation.EndpointName);
    }

    [Fact]
    public void The_schemas_function_slash_spelling_is_invoked_as_the_colon_ARN_Lambda_takes()
    {
        var variation = Variation("""{ "type": "function", "arn": "arn:aws:lambda:eu-west-1:123456789012:function/recs" }""");

        Assert.Equal("arn:aws:lambda:eu-west-1:123456789012:function:recs", variation.Arn);
    }

    [Theory]
    [InlineData("""{ "type": "lambda", "arn": "recs", "qualifier": "no spaces" }""", V + ".qualifier: 'no spaces' is not a Lambda version or alias (1-128 of A-Z a-z 0-9 $ _ -)")]
    [InlineData("""{ "type": "lambda", "arn": "a/b" }""", V + ".arn: 'a/b' is not a Lambda function ARN or name")]
    [InlineData("""{ "type": "sagemaker", "endpointName": "bad_name" }""", V + ".endpointName: 'bad_name' is not a SageMaker endpoint name (1-63 letters, digits and inner hyphens)")]
    [InlineData("""{ "type": "lambda", "arn": "recs", "promotions": [] }""", V + ".promotions: promotions are a Personalize feature; only personalize-campaign and personalize-recommender variations take them")]
    [InlineData("""{ "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/c", "promotions": [{ "name": "a", "percentPromotedItems": 10, "filterArn": "arn:aws:personalize:us-east-1:123456789012:filter/f" }, { "name": "b", "percentPromotedItems": 10, "filterArn": "arn:aws:personalize:us-east-1:123456789012:filter/f" }] }""", V + ".promotions: Personalize takes at most one promotion per request")]
    [InlineData("""{ "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/c", "promotions": [{ "name": "a", "percentPromotedItems": 0, "filterArn": "arn:aws:personalize:us-east-1:123456789012:filter/f" }] }""", V + ".promotions[0].percentPromotedItems: must be between 1 and 100")]
    [InlineData("""{ "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/c", "promotions": [{ "name": "a", "percentPromotedItems": 5 }] }""", V + ".promotions[0].filterArn: is required")]
    [InlineData("""{ "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/c", "promotions": [{ "name": "-a", "percentPromotedItems": 5, "filterArn": "arn:aws:personalize:us-east-1:123456789012:filter/f" }] }""", V + ".promotions[0].name: '-a' is not a promotion name (1-63 characters: a letter or digit, then letters, digits, - and _)")]
    [InlineData("""{ "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/c", "promotions": [{ "name": "a", "percentPromotedItems": 5, "filterArn": "arn:aws:personalize:us-east-1:123456789012:filter/f", "filterValues": { "GENRE": 3 } }] }""", V + ".promotions[0].filterValues.GENRE: must be a string of at most 1000 characters (e.g. \"\\\"comedy\\\"\")")]
    public void Invalid_function_endpoint_and_promotion_settings_name_the_path(string variation, string expected) =>
        Assert.Equal([expected], Samples.Errors(Samples.WithVariation(variation)));

    [Fact]
    public void Promotions_are_read_with_their_filter_values_and_rerank_recommenders_refuse_them()
    {
        var variation = Variation($$"""
            { "type": "personalize-recommender", "arn": "arn:aws:personalize:us-east-1:123456789012:recommender/r",
              "promotions": [{ "name": "house-brand", "percentPromotedItems": 20, "filterArn": "{{Filter}}", "filterValues": { "BRAND": "\"acme\"" } }] }
            """);
        var promotion = Assert.Single(variation.Promotions);
        Assert.Equal(("house-brand", 20, Filter, "\"acme\""), (promotion.Name, promotion.PercentPromotedItems, promotion.FilterArn, promotion.FilterValues["BRAND"]));

        var errors = Samples.Errors($$"""
            { "namespaces": { "my-store": { "recommenders": { "rerank-items": { "rank": { "variations": { "v": {
              "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/rank",
              "promotions": [{ "name": "p", "percentPromotedItems": 20, "filterArn": "{{Filter}}" }] } } } } } } } }
            """);
        Assert.Equal(["namespaces.my-store.recommenders.rerank-items.rank.variations.v.promotions: promotions apply to recommend-items and related-items (GetRecommendations), not to rerank-items"], errors);
    }

    [Fact]
    public void The_post_processor_reads_its_function_qualifier_and_onError_and_the_documents_are_kept_for_payloads()
    {
        var recommender = Recommender("""
            { "cacheControl": { "userSpecified": { "maxAge": 7 } },
              "namespaces": { "my-store": { "autoContext": { "DEVICE": { "type": "string", "rules": [ { "type": "header-value", "header": "x-device" } ] } },
              "recommenders": { "recommend-items": { "top-picks": {
              "responsePostProcessor": { "type": "lambda", "arn": "rerank-by-margin", "qualifier": "prod", "lookAheadMultiplier": 2, "onError": "fail" },
              "cacheControl": { "userSpecified": { "maxAge": 9 } },
              "variations": { "v1": { "type": "sagemaker", "endpointName": "recs-1", "modelVersion": "2024-06" } } } } } } } }
            """);

        Assert.Equal(new ResponsePostProcessorConfig("lambda", "rerank-by-margin", 2, null, "prod", FailRequestOnError: true), recommender.ResponsePostProcessor);
        // As the original's inherit_config: the objects a level does not set come from the nearest parent that does.
        using var variation = JsonDocument.Parse(recommender.DefaultVariation.Document!);
        Assert.Equal("2024-06", variation.RootElement.GetProperty("modelVersion").GetString());
        Assert.Equal(9, variation.RootElement.GetProperty("cacheControl").GetProperty("userSpecified").GetProperty("maxAge").GetInt32());
        Assert.Equal("header-value", variation.RootElement.GetProperty("autoContext").GetProperty("DEVICE").GetProperty("rules")[0].GetProperty("type").GetString());
        Assert.False(variation.RootElement.TryGetProperty("filters", out _));
        using var config = JsonDocument.Parse(recommender.Document!);
        Assert.Equal("rerank-by-margin", config.RootElement.GetProperty("responsePostProcessor").GetProperty("arn").GetString());
        Assert.True(config.RootElement.TryGetProperty("autoContext", out _));

        Assert.Equal(
            ["namespaces.my-store.recommenders.recommend-items.top-picks.responsePostProcessor.onError: unknown value 'ignore' (expected serve-unprocessed or fail)"],
            Samples.Errors("""
                { "namespaces": { "my-store": { "recommenders": { "recommend-items": { "top-picks": {
                  "responsePostProcessor": { "type": "lambda", "arn": "pp", "onError": "ignore" },
                  "variations": { "v1": { "type": "lambda", "arn": "recs" } } } } } } } }
                """));
        var lenient = Recommender("""
            { "namespaces": { "my-store": { "recommenders": { "recommend-items": { "top-picks": {
              "responsePostProcessor": { "type": "function", "arn": "arn:aws:lambda:us-east-1:123456789012:function:pp" },
              "variations": { "v1": { "type": "lambda", "arn": "recs" } } } } } } } }
            """);
        Assert.False(lenient.ResponsePostProcessor!.FailRequestOnError);
    }
}
