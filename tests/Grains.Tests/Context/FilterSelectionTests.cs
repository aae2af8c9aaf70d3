using System.Text;
using Personalization.Grains.Configuration;
using Personalization.Grains.Context;
using Xunit;
using static Personalization.Grains.Tests.Context.ContextTestData;

namespace Personalization.Grains.Tests.Context;

public class FilterSelectionTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
    private const string CampaignArn = "arn:aws:personalize:eu-west-1:123456789012:campaign/rfy";

    private static ResolvedVariation Variation(string variationJson)
    {
        var json = $$"""{ "namespaces": { "n": { "recommenders": { "recommend-items": { "r": { "variations": { "v": {{variationJson}} } } } } } } }""";
        var result = ConfigurationParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.True(result.Snapshot!.TryGetRecommender("n", RecommenderAction.RecommendItems, "r", out var r));
        return r.DefaultVariation;
    }

    private static readonly ResolvedVariation Personalize = Variation($$"""
        { "type": "personalize-campaign", "arn": "{{CampaignArn}}", "filters": [
            { "arn": "arn:aws:personalize:eu-west-1:123456789012:filter/not-purchased", "condition": "user-required" },
            { "arn": "arn:aws:personalize:eu-west-1:123456789012:filter/in-stock" } ] }
        """);

    [Fact]
    public void Query_short_name_becomes_an_arn_in_the_variation_region_and_account()
    {
        var selected = FilterSelection.Choose(Personalize, "on-sale", hasUser: true)!;

        Assert.Equal(new SelectedFilter("on-sale", "arn:aws:personalize:eu-west-1:123456789012:filter/on-sale", null, true), selected);
    }

    [Fact]
    public void Query_full_arn_passes_through_unchanged()
    {
        const string arn = "arn:aws-cn:personalize:cn-north-1:210987654321:filter/other";

        var selected = FilterSelection.Choose(Personalize, arn, hasUser: false)!;

        Assert.Equal(("other", arn, true), (selected.Name, selected.Arn, selected.FromQuery));
    }

    [Fact]
    public void Query_name_of_a_configured_filter_uses_its_config()
    {
        var selected = FilterSelection.Choose(Personalize, "in-stock", hasUser: false)!;

        Assert.Same(Personalize.Filters[1], selected.Config);
        Assert.Equal("arn:aws:personalize:eu-west-1:123456789012:filter/in-stock", selected.Arn);
    }

    [Fact]
    public void Without_query_the_first_filter_whose_condition_holds_is_used()
    {
        Assert.Equal("not-purchased", FilterSelection.Choose(Personalize, null, hasUser: true)!.Name);
        Assert.Equal("in-stock", FilterSelection.Choose(Personalize, "  ", hasUser: false)!.Name);
    }

    [Fact]
    public void No_filter_when_every_filter_needs_a_user_and_there_is_none()
    {
        var onlyUser = Variation($$"""{ "type": "personalize-campaign", "arn": "{{CampaignArn}}", "filters": [{ "arn": "arn:aws:personalize:eu-west-1:123456789012:filter/f", "condition": "user-required" }] }""");

        Assert.Null(FilterSelection.Choose(onlyUser, null, hasUser: false));
    }

    [Fact]
    public void Builtin_filters_are_chosen_by_name_without_an_arn()
    {
        var builtin = Variation("""{ "type": "builtin", "filters": [{ "name": "comedies", "expression": "INCLUDE ItemID WHERE Items.genre IN (\"comedy\")" }] }""");

        var selected = FilterSelection.Choose(builtin, "comedies", hasUser: false)!;

        Assert.Null(selected.Arn);
        Assert.Equal("INCLUDE ItemID WHERE Items.genre IN (\"comedy\")", selected.Config!.Expression);
    }

    [Fact]
    public void Documented_filters_form_of_dynamic_values_resolves()
    {
        var variation = Variation($$"""
            { "type": "personalize-campaign", "arn": "{{CampaignArn}}", "filters": [{
                "arn": "arn:aws:personalize:eu-west-1:123456789012:filter/metro",
                "autoDynamicFilterValues": { "METRO_CODE": { "type": "string", "rules": [{ "type": "header-value", "header": "cloudfront-viewer-metro-code" }] } } }] }
            """);

        var values = DynamicValues(variation, Headers(("CloudFront-Viewer-Metro-Code", "819")));

        Assert.Equal(new Dictionary<string, string> { ["METRO_CODE"] = "\"819\"" }, values);
    }

    [Fact]
    public void Singular_filter_form_the_original_code_reads_also_resolves()
    {
        var variation = Variation($$"""
            { "type": "personalize-campaign", "arn": "{{CampaignArn}}",
              "filters": [{ "arn": "arn:aws:personalize:eu-west-1:123456789012:filter/device" }],
              "filter": { "autoDynamicFilterValues": { "DEVICES": { "type": "string", "evaluateAll": true, "rules": [
                  { "type": "header-value", "header": "x-device-a" }, { "type": "header-value", "header": "x-device-b" } ] } } } }
            """);

        var values = DynamicValues(variation, Headers(("x-device-a", "phone"), ("x-device-b", "tablet")));

        Assert.Equal(new Dictionary<string, string> { ["DEVICES"] = "\"phone\",\"tablet\"" }, values);
    }

    [Fact]
    public void No_dynamic_values_without_a_chosen_filter()
    {
        var variation = Variation($$"""
            { "type": "personalize-campaign", "arn": "{{CampaignArn}}",
              "filter": { "autoDynamicFilterValues": { "X": { "type": "string", "rules": [{ "type": "header-value", "header": "x" }] } } } }
            """);

        Assert.Null(FilterSelection.DynamicValueRules(variation, FilterSelection.Choose(variation, null, hasUser: true)));
    }

    private static IReadOnlyDictionary<string, string> DynamicValues(ResolvedVariation variation, IRequestHeaders headers)
    {
        var filter = FilterSelection.Choose(variation, null, hasUser: true);
        var rules = FilterSelection.DynamicValueRules(variation, filter);
        return ContextMerging.FilterValues(null, Resolver().Resolve(rules, headers, Noon));
    }
}
