using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Personalization.Api.Errors;
using Personalization.Api.Recommendations;
using Xunit;

namespace Personalization.Api.Tests.Recommendations;

public sealed class InferenceQueryParserTests
{
    private static QueryCollection Query(params (string Key, string Value)[] pairs) =>
        new(pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => new StringValues(g.Select(p => p.Value).ToArray())));

    [Fact]
    public void Defaults_match_the_original()
    {
        var options = InferenceQueryParser.Parse(Query());
        Assert.Equal(25, options.NumResults);
        Assert.True(options.DecorateItems);
        Assert.False(options.SyntheticUser);
        Assert.True(options.FilterValues.IsEmpty);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("2.5")]
    public void Bad_numResults_is_a_400_naming_the_parameter(string value)
    {
        var error = Assert.Throws<ApiException>(() => InferenceQueryParser.Parse(Query(("numResults", value))));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("InvalidNumResults", error.Error.Code);
        Assert.Contains("numResults", error.Error.Message);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("YES", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void Flags_accept_the_original_spellings(string value, bool expected) =>
        Assert.Equal(expected, InferenceQueryParser.Parse(Query(("decorateItems", value))).DecorateItems);

    [Fact]
    public void Equal_maps_in_any_order_share_a_canonical_form()
    {
        var a = InferenceQueryParser.Parse(Query(("context", "{\"DEVICE\":\"mobile\",\"CITY\":\"Paris\"}")));
        var b = InferenceQueryParser.Parse(Query(("context", "{\"CITY\":\"Paris\",\"DEVICE\":\"mobile\"}")));
        Assert.Equal(a.Context.Canonical, b.Context.Canonical);
        Assert.Equal("mobile", a.Context.Values["DEVICE"]);
    }

    [Theory]
    [InlineData("filterValues", "not json")]
    [InlineData("filterValues", "[1,2]")]
    [InlineData("context", "{\"a\":{\"nested\":1}}")]
    [InlineData("context", "{\"bad key\":\"x\"}")]
    public void Bad_json_maps_are_400(string name, string value)
    {
        var error = Assert.Throws<ApiException>(() => InferenceQueryParser.Parse(Query((name, value))));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(name, error.Error.Message);
    }

    [Theory]
    [InlineData("my-filter")]
    [InlineData("arn:aws:personalize:us-east-1:123456789012:filter/my-filter")]
    public void Filter_accepts_a_name_or_a_full_arn(string filter) =>
        Assert.Equal(filter, InferenceQueryParser.Parse(Query(("filter", filter))).Filter);

    [Fact]
    public void Repeated_parameters_are_rejected()
    {
        var error = Assert.Throws<ApiException>(() => InferenceQueryParser.Parse(Query(("numResults", "1"), ("numResults", "2"))));
        Assert.Contains("numResults", error.Error.Message);
    }

    [Fact]
    public void Decorate_fields_are_sorted_into_a_key()
    {
        var options = InferenceQueryParser.Parse(Query(("decorateFields", "price, name")));
        Assert.Equal("name,price", options.DecorateFieldsKey);
        Assert.Contains("price", (IReadOnlySet<string>)options.DecorateFields!);
    }

    [Fact]
    public void Item_ids_are_split_and_bounded()
    {
        Assert.Equal(["a", "b"], InferenceQueryParser.ItemIds("a, b"));
        Assert.Throws<ApiException>(() => InferenceQueryParser.ItemIds(" , "));
        Assert.Throws<ApiException>(() => InferenceQueryParser.ItemIds(string.Join(',', Enumerable.Range(0, 501))));
    }
}
