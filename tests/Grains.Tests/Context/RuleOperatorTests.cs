using Personalization.Grains.Context;
using Xunit;
using static Personalization.Grains.Tests.Context.ContextTestData;

namespace Personalization.Grains.Tests.Context;

public class RuleOperatorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    private static string? ResolveHeader(string op, string operand, string? header)
    {
        var config = Field("string", $$"""{ "type": "header-value", "header": "x-h", "valueMappings": [{ "operator": "{{op}}", "value": {{operand}}, "mapTo": "hit" }] }""");
        var headers = header is null ? RequestHeaders.None : Headers(("x-h", header));
        return Values(Resolver().Resolve(config, headers, Noon))?.Single();
    }

    [Theory]
    [InlineData("equals", "\"true\"", "true", "hit")]
    [InlineData("equals", "\"true\"", "TRUE", null)]
    [InlineData("equals", "5", "5.0", "hit")]
    [InlineData("less-than", "10", "9", "hit")]
    [InlineData("less-than", "10", "10", null)]
    [InlineData("less-than", "10", "100", null)]
    [InlineData("greater-than", "10", "11", "hit")]
    [InlineData("greater-than", "10", "9", null)]
    [InlineData("greater-than", "\"b\"", "c", "hit")]
    [InlineData("contains", "\"iPhone\"", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)", "hit")]
    [InlineData("contains", "\"Android\"", "Mozilla/5.0 (iPhone)", null)]
    [InlineData("start-with", "\"en\"", "en-US", "hit")]
    [InlineData("starts-with", "\"en\"", "en-US", "hit")]
    [InlineData("starts-with", "\"US\"", "en-US", null)]
    [InlineData("ends-with", "\"US\"", "en-US", "hit")]
    [InlineData("ends-with", "\"en\"", "en-US", null)]
    [InlineData("equals", "\"x\"", null, null)]
    public void Header_value_operators(string op, string operand, string? header, string? expected) =>
        Assert.Equal(expected, ResolveHeader(op, operand, header));

    [Fact]
    public void Header_value_without_mappings_is_the_raw_value_and_lookup_ignores_case()
    {
        var config = Field("string", """{ "type": "header-value", "header": "cloudfront-viewer-city" }""");

        var context = Resolver().Resolve(config, Headers(("CloudFront-Viewer-City", "Seattle")), Noon);

        Assert.Equal(["Seattle"], Values(context));
    }

    [Fact]
    public void First_matching_mapping_wins()
    {
        var config = Field("string", """
            { "type": "hour-of-day", "valueMappings": [
                { "operator": "less-than", "value": 13, "mapTo": "first" },
                { "operator": "less-than", "value": 14, "mapTo": "second" } ] }
            """);

        Assert.Equal(["first"], Values(Resolver().Resolve(config, RequestHeaders.None, Noon)));
    }

    [Fact]
    public void A_mapped_value_of_zero_is_a_match()
    {
        var config = Field("integer", """{ "type": "hour-of-day", "valueMappings": [{ "operator": "greater-than", "value": 6, "mapTo": 0 }] }""", "\"default\": 7,");

        Assert.Equal(["0"], Values(Resolver().Resolve(config, RequestHeaders.None, Noon)));
    }

    [Fact]
    public void Evaluate_all_collects_distinct_values_in_rule_order_otherwise_first_rule_wins()
    {
        const string rules = """
            { "type": "header-value", "header": "a" },
            { "type": "header-value", "header": "b" },
            { "type": "header-value", "header": "c" }
            """;
        var headers = Headers(("a", "x"), ("b", "y"), ("c", "x"));

        Assert.Equal(["x", "y"], Values(Resolver().Resolve(Field("string", rules, "\"evaluateAll\": true,"), headers, Noon)));
        Assert.Equal(["x"], Values(Resolver().Resolve(Field("string", rules), headers, Noon)));
    }

    [Fact]
    public void Default_applies_when_no_rule_matches_and_absent_field_has_no_entry()
    {
        var withDefault = Field("string", """{ "type": "header-value", "header": "a" }""", "\"default\": \"none\",");
        var withoutDefault = Field("string", """{ "type": "header-value", "header": "a" }""");

        Assert.Equal(["none"], Values(Resolver().Resolve(withDefault, RequestHeaders.None, Noon)));
        Assert.True(Resolver().Resolve(withoutDefault, RequestHeaders.None, Noon).IsEmpty);
    }

    [Theory]
    [InlineData("integer", "42", "42")]
    [InlineData("integer", "4.5", null)]
    [InlineData("integer", "abc", null)]
    [InlineData("integer", "3000000000", null)]
    [InlineData("long", "3000000000", "3000000000")]
    [InlineData("float", "4.5", "4.5")]
    [InlineData("float", "abc", null)]
    [InlineData("string", "abc", "abc")]
    public void Values_are_converted_to_the_field_type(string type, string header, string? expected)
    {
        var config = Field(type, """{ "type": "header-value", "header": "a" }""");

        Assert.Equal(expected, Values(Resolver().Resolve(config, Headers(("a", header)), Noon))?.Single());
    }
}
