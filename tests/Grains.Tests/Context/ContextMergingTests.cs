using Personalization.Grains.Context;
using Xunit;

namespace Personalization.Grains.Tests.Context;

public class ContextMergingTests
{
    private static readonly ResolvedContext Resolved = new(
    [
        new ResolvedField("deviceType", AutoContextFieldType.String, ["Phone", "Tablet"]),
        new ResolvedField("hour", AutoContextFieldType.Integer, ["7"]),
        new ResolvedField("city", AutoContextFieldType.String, ["Seattle"]),
    ]);

    [Fact]
    public void Inference_context_keeps_client_keys_and_adds_first_values_as_strings()
    {
        var merged = ContextMerging.InferenceContext(new Dictionary<string, string> { ["city"] = "Paris" }, Resolved);

        Assert.Equal(
            new Dictionary<string, string> { ["city"] = "Paris", ["deviceType"] = "Phone", ["hour"] = "7" },
            merged);
    }

    [Fact]
    public void Event_properties_join_string_values_and_keep_numbers_and_existing_keys()
    {
        var merged = ContextMerging.EventProperties("""{"city":"Paris","price":9.5}""", Resolved);

        Assert.Equal("""{"city":"Paris","price":9.5,"deviceType":"Phone|Tablet","hour":7}""", merged);
    }

    [Theory]
    [InlineData(null, """{"deviceType":"Phone|Tablet","hour":7,"city":"Seattle"}""")]
    [InlineData("", """{"deviceType":"Phone|Tablet","hour":7,"city":"Seattle"}""")]
    [InlineData("[1,2]", "[1,2]")]
    [InlineData("not json", "not json")]
    public void Event_properties_edge_cases(string? properties, string expected) =>
        Assert.Equal(expected, ContextMerging.EventProperties(properties, Resolved));

    [Fact]
    public void Empty_resolution_leaves_everything_as_sent()
    {
        var client = new Dictionary<string, string> { ["a"] = "b" };

        Assert.Same(client, ContextMerging.InferenceContext(client, ResolvedContext.Empty));
        Assert.Equal("{\"x\":1}", ContextMerging.EventProperties("{\"x\":1}", ResolvedContext.Empty));
    }

    [Fact]
    public void Filter_values_quote_string_lists_and_client_values_win()
    {
        var merged = ContextMerging.FilterValues(new Dictionary<string, string> { ["city"] = "\"Paris\"" }, Resolved);

        Assert.Equal("\"Phone\",\"Tablet\"", merged["deviceType"]);
        Assert.Equal("7", merged["hour"]);
        Assert.Equal("\"Paris\"", merged["city"]);
    }

    [Fact]
    public void Quoted_list_escapes_quotes() => Assert.Equal("\"a\\\"b\",\"c\"", ContextMerging.QuotedList(["a\"b", "c"]));
}
