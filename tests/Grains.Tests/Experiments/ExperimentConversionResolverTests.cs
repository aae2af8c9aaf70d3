using System.Text.Json;
using Personalization.Grains.Experiments;
using Xunit;

namespace Personalization.Grains.Tests.Experiments;

public sealed class ExperimentConversionResolverTests
{
    private static readonly ExperimentDefinition HomeLayout = Define("layout", """{"method": "evidently", "metrics": {"clicks": {}, "purchases": {}}}""");
    private static readonly ExperimentDefinition HomeColors = Define("colors", """{"method": "builtin"}""");
    private static readonly ExperimentDefinition Similar = Define("similar", """{"method": "builtin"}""");

    private readonly ExperimentConversionResolver _resolver = new(new Dictionary<string, IReadOnlyList<RecommenderExperiments>>
    {
        ["home"] = [new RecommenderExperiments("recommend-items", [HomeLayout, HomeColors])],
        ["similar"] = [new RecommenderExperiments("recommend-items", []), new RecommenderExperiments("related-items", [Similar])],
        ["plain"] = [new RecommenderExperiments("recommend-items", [])],
    });

    [Fact]
    public void Resolves_explicit_and_implied_feature_and_metric_across_actions()
    {
        var batch = Resolve("""
            {"userId": "u1", "experimentConversions": [
              {"recommender": "home", "feature": "layout", "metric": "purchases", "value": 12.5},
              {"recommender": "home", "feature": "colors"},
              {"recommender": "similar"}
            ]}
            """);

        Assert.True(batch.IsValid, string.Join("; ", batch.Errors));
        Assert.Equal("u1", batch.UserId);
        Assert.Equal(
            [
                new ExperimentConversion("recommend-items", "home", HomeLayout, "purchases", 12.5),
                new ExperimentConversion("recommend-items", "home", HomeColors, ExperimentMetric.DefaultName, 1.0),
                new ExperimentConversion("related-items", "similar", Similar, ExperimentMetric.DefaultName, 1.0),
            ],
            batch.Conversions);
    }

    [Theory]
    [InlineData("""{"eventList": []}""")]
    [InlineData("""{"experimentConversions": null}""")]
    [InlineData("""{"experimentConversions": []}""")]
    public void A_body_without_conversions_is_an_empty_valid_batch(string body)
    {
        var batch = Resolve(body);

        Assert.True(batch.IsValid);
        Assert.Empty(batch.Conversions);
    }

    [Theory]
    [InlineData("""{"experimentConversions": [{"recommender": "similar"}]}""", "userId: required")]
    [InlineData("""{"userId": "", "experimentConversions": [{"recommender": "similar"}]}""", "userId: required")]
    [InlineData("""{"userId": "u", "experimentConversions": {"recommender": "similar"}}""", "experimentConversions: must be an array")]
    [InlineData("""{"userId": "u", "experimentConversions": ["similar"]}""", "experimentConversions[0]: must be an object")]
    [InlineData("""{"userId": "u", "experimentConversions": [{}]}""", "experimentConversions[0].recommender: required")]
    [InlineData("""{"userId": "u", "experimentConversions": [{"recommender": "nope"}]}""", "experimentConversions[0].recommender: no recommender named 'nope'")]
    [InlineData("""{"userId": "u", "experimentConversions": [{"recommender": "plain"}]}""", "experimentConversions[0].recommender: recommender 'plain' has no experiments")]
    [InlineData("""{"userId": "u", "experimentConversions": [{"recommender": "home"}]}""", "experimentConversions[0].feature: required because recommender 'home' has several experiments")]
    [InlineData("""{"userId": "u", "experimentConversions": [{"recommender": "home", "feature": "x"}]}""", "experimentConversions[0].feature: recommender 'home' has no experiment 'x'")]
    [InlineData("""{"userId": "u", "experimentConversions": [{"recommender": "home", "feature": "layout"}]}""", "experimentConversions[0].metric: required because experiment 'layout' has several metrics: clicks, purchases")]
    [InlineData("""{"userId": "u", "experimentConversions": [{"recommender": "home", "feature": "layout", "metric": "views"}]}""", "experimentConversions[0].metric: experiment 'layout' has no metric 'views'")]
    [InlineData("""{"userId": "u", "experimentConversions": [{"recommender": "similar", "value": "1"}]}""", "experimentConversions[0].value: must be a finite number, got \"1\"")]
    [InlineData("""{"userId": "u", "experimentConversions": [{"recommender": "similar"}, {"recommender": 7}]}""", "experimentConversions[1].recommender: must be a non-empty string, got 7")]
    public void Rejects_bad_conversions_with_a_path_naming_error(string body, string expected)
    {
        var batch = Resolve(body);

        Assert.False(batch.IsValid);
        Assert.Empty(batch.Conversions);
        Assert.Contains(batch.Errors, error => error.StartsWith(expected, StringComparison.Ordinal));
    }

    private ExperimentConversionBatch Resolve(string body) => _resolver.Resolve(JsonDocument.Parse(body).RootElement);

    private static ExperimentDefinition Define(string feature, string json) =>
        ExperimentDefinition.FromJson(JsonDocument.Parse(json).RootElement, feature, ["A", "B"], out _)!;
}
