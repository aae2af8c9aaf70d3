using System.Text.Json;
using Personalization.Grains.Experiments;
using Xunit;

namespace Personalization.Grains.Tests.Experiments;

public sealed class ExperimentDefinitionParserTests
{
    private static readonly string[] Variations = ["control", "treatment", "other"];

    [Fact]
    public void An_original_evidently_config_becomes_equal_arms_over_all_variations()
    {
        var definition = Parse("""
            {"method": "evidently", "project": "my-project",
             "metrics": {"clickRate": {"entityIdKey": "userDetails.userId", "valueKey": "details.click", "trackExposures": false}},
             "someFutureKey": true}
            """, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(definition);
        Assert.Equal(ExperimentMethod.Evidently, definition.Method);
        Assert.Equal("evidently", definition.MethodName);
        Assert.Equal("home", definition.Salt);
        Assert.Equal(Variations.Select(v => new ExperimentArm(v, 1)), definition.Arms);
        Assert.Equal("control", definition.Control);
        Assert.Equal("control", definition.DefaultVariation);
        Assert.Equal("my-project", definition.Project);
        Assert.Equal(new ExperimentMetric("clickRate", "userDetails.userId", "details.click", false), Assert.Single(definition.Metrics));
        Assert.Equal(0, definition.Holdout);
        Assert.Null(definition.Layer);
        Assert.Empty(definition.Overrides);
    }

    [Fact]
    public void A_full_builtin_config_is_read_with_every_option()
    {
        var definition = Parse("""
            {"method": "builtin", "salt": "home-v2",
             "arms": {"treatment": {"weight": 30}, "control": {"weight": 70}},
             "control": "control", "holdout": 0.05, "layer": "homepage", "layerWeight": 2,
             "overrides": {"qa-user": "other"},
             "start": "2026-01-01T00:00:00Z", "end": "2026-02-01T01:00:00+01:00"}
            """, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(definition);
        Assert.Equal(ExperimentMethod.Builtin, definition.Method);
        Assert.Equal("home-v2", definition.Salt);
        Assert.Equal([new ExperimentArm("treatment", 30), new ExperimentArm("control", 70)], definition.Arms);
        Assert.Equal(0.05, definition.Holdout);
        Assert.Equal("homepage", definition.Layer);
        Assert.Equal(2, definition.LayerWeight);
        Assert.Equal("other", definition.Overrides["qa-user"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), definition.Start);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), definition.End);
        Assert.Equal(ExperimentMetric.DefaultName, Assert.Single(definition.Metrics).Name);
    }

    [Theory]
    [InlineData("""[]""", "experiments.home: must be an object")]
    [InlineData("""{}""", "experiments.home.method: required")]
    [InlineData("""{"method": "optimizely"}""", "experiments.home.method: must be \"evidently\" or \"builtin\", got \"optimizely\"")]
    [InlineData("""{"method": "builtin", "salts": "x"}""", "experiments.home.salts: unknown key")]
    [InlineData("""{"method": "builtin", "salt": ""}""", "experiments.home.salt: must be a non-empty string")]
    [InlineData("""{"method": "builtin", "arms": {"missing": {"weight": 1}}}""", "experiments.home.arms.missing: not a variation of this recommender")]
    [InlineData("""{"method": "builtin", "arms": {"control": {"weight": -1}}}""", "experiments.home.arms.control.weight: must be a finite number ≥ 0, got -1")]
    [InlineData("""{"method": "builtin", "arms": {"control": {}}}""", "experiments.home.arms.control.weight: required")]
    [InlineData("""{"method": "builtin", "arms": {"control": {"weight": 1, "share": 2}}}""", "experiments.home.arms.control.share: unknown key")]
    [InlineData("""{"method": "builtin", "arms": {"control": {"weight": 0}, "treatment": {"weight": 0}}}""", "experiments.home.arms: at least one arm needs a weight > 0")]
    [InlineData("""{"method": "builtin", "arms": {"treatment": {"weight": 1}}}""", "experiments.home.control: the default control 'control' (the first variation) is not an arm")]
    [InlineData("""{"method": "builtin", "arms": {"treatment": {"weight": 1}}, "control": "other"}""", "experiments.home.control: 'other' must be one of the arms (treatment)")]
    [InlineData("""{"method": "builtin", "control": "nope"}""", "experiments.home.control: 'nope' is not a variation")]
    [InlineData("""{"method": "builtin", "holdout": 1.5}""", "experiments.home.holdout: must be a number from 0 to 1")]
    [InlineData("""{"method": "builtin", "holdout": "5%"}""", "experiments.home.holdout: must be a number from 0 to 1 (a fraction of users), got \"5%\"")]
    [InlineData("""{"method": "builtin", "layerWeight": 2}""", "experiments.home.layerWeight: only meaningful with \"layer\"")]
    [InlineData("""{"method": "builtin", "layer": "l", "layerWeight": 0}""", "experiments.home.layerWeight: must be a finite number > 0")]
    [InlineData("""{"method": "builtin", "overrides": {"qa": "nope"}}""", "experiments.home.overrides.qa: must name a variation")]
    [InlineData("""{"method": "builtin", "overrides": ["qa"]}""", "experiments.home.overrides: must be an object")]
    [InlineData("""{"method": "builtin", "start": "2026-01-01"}""", "experiments.home.start: must be an ISO-8601 instant with a zone")]
    [InlineData("""{"method": "builtin", "end": "tomorrow"}""", "experiments.home.end: must be an ISO-8601 instant")]
    [InlineData("""{"method": "builtin", "start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"}""", "experiments.home.end: must be after start")]
    [InlineData("""{"method": "evidently", "metrics": []}""", "experiments.home.metrics: must be an object")]
    [InlineData("""{"method": "evidently", "metrics": {"m": {"trackExposures": "yes"}}}""", "experiments.home.metrics.m.trackExposures: must be true or false")]
    public void Rejects_bad_configs_with_an_error_naming_the_path(string json, string expected)
    {
        var definition = Parse(json, out var errors);

        Assert.Null(definition);
        Assert.Contains(errors, error => error.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_every_error_at_once_under_the_given_path()
    {
        var definition = ExperimentDefinition.FromJson(
            Json("""{"method": "builtin", "holdout": 2, "layerWeight": -1, "overrides": {"a": "x"}}"""),
            "home",
            Variations,
            out var errors,
            "namespaces.ns.recommenders.recommend-items.r.experiments.home");

        Assert.Null(definition);
        Assert.Equal(4, errors.Count);
        Assert.All(errors, error => Assert.StartsWith("namespaces.ns.recommenders.recommend-items.r.experiments.home.", error));
    }

    [Fact]
    public void A_recommender_without_variations_cannot_host_an_experiment()
    {
        var definition = ExperimentDefinition.FromJson(Json("""{"method": "evidently"}"""), "home", [], out var errors);

        Assert.Null(definition);
        Assert.Contains("no variations", Assert.Single(errors));
    }

    private static ExperimentDefinition? Parse(string json, out IReadOnlyList<string> errors) =>
        ExperimentDefinition.FromJson(Json(json), "home", Variations, out errors);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}
