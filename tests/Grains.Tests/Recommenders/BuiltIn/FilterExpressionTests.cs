using Xunit;
using Personalization.Grains.Catalog;
using Personalization.Grains.Recommenders.BuiltIn.Filters;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

public class FilterExpressionTests
{
    private static readonly CatalogItem Comedy = ToyStore.Item("c", "comedy", "5");
    private static readonly CatalogItem Drama = ToyStore.Item("d", "drama", "25");
    private static readonly CatalogItem Horror = ToyStore.Item("h", "horror", "15");
    private static readonly CatalogItem[] All = [Comedy, Drama, Horror];

    private static string[] Allowed(string expression, Dictionary<string, string>? values = null)
    {
        var filter = FilterExpression.Parse(expression).Bind(values);
        return All.Where(filter.Allows).Select(i => i.Id).ToArray();
    }

    [Theory]
    [InlineData("INCLUDE ItemID WHERE Items.genre IN (\"comedy\", \"drama\")", "c,d")]
    [InlineData("EXCLUDE ItemID WHERE Items.GENRE IN (\"comedy\")", "d,h")]
    [InlineData("include itemid where items.genre = 'horror'", "h")]
    [InlineData("INCLUDE ItemID WHERE Items.genre NOT IN (\"comedy\")", "d,h")]
    [InlineData("INCLUDE ItemID WHERE Items.price < 20", "c,h")]
    [InlineData("INCLUDE ItemID WHERE Items.price >= 15 AND Items.genre IN (\"drama\")", "d")]
    [InlineData("INCLUDE ItemID WHERE Items.genre IN (\"comedy\") OR Items.price > 20", "c,d")]
    [InlineData("INCLUDE ItemID WHERE Items.genre IN (\"drama\") OR Items.genre IN (\"horror\") AND Items.price < 10", "d")]
    [InlineData("INCLUDE ItemID WHERE (Items.genre IN (\"drama\") OR Items.genre IN (\"horror\")) AND Items.price < 20", "h")]
    public void Literal_expressions_select_the_expected_items(string expression, string expected)
    {
        Assert.Equal(expected.Split(','), Allowed(expression));
    }

    [Fact]
    public void Dynamic_values_accept_personalize_quoted_lists_and_plain_values()
    {
        const string expression = "INCLUDE ItemID WHERE Items.genre IN ($GENRES)";

        Assert.Equal(["c", "h"], Allowed(expression, new() { ["GENRES"] = "\"comedy\",\"horror\"" }));
        Assert.Equal(["d"], Allowed(expression, new() { ["$GENRES"] = "drama" }));
        Assert.Equal(["GENRES"], FilterExpression.Parse(expression).Parameters);
    }

    [Fact]
    public void Exclude_leaves_out_a_condition_without_its_value()
    {
        const string expression = "EXCLUDE ItemID WHERE Items.genre IN ($GENRES) AND Items.price > 10";

        Assert.Equal(["c"], Allowed(expression));
        Assert.Equal(["c", "h"], Allowed(expression, new() { ["GENRES"] = "\"drama\"" }));
        Assert.Equal(["c", "d", "h"], Allowed("EXCLUDE ItemID WHERE Items.genre IN ($GENRES)"));
    }

    [Fact]
    public void Include_requires_every_parameter_in_matching_case()
    {
        var expression = FilterExpression.Parse("INCLUDE ItemID WHERE Items.genre IN ($GENRES) OR Items.price < $MAX");

        var error = Assert.Throws<FilterParseException>(() => expression.Bind(new Dictionary<string, string> { ["genres"] = "\"drama\"", ["MAX"] = "9" }));
        Assert.Contains("$GENRES", error.Message);
        Assert.Equal(["c", "d"], Allowed(expression.Text, new() { ["GENRES"] = "\"drama\"", ["MAX"] = "9" }));
    }

    [Fact]
    public void Items_outside_the_catalog_fail_include_and_pass_exclude()
    {
        Assert.False(FilterExpression.Parse("INCLUDE ItemID WHERE Items.genre IN (\"x\")").Bind().Allows(null));
        Assert.True(FilterExpression.Parse("EXCLUDE ItemID WHERE Items.genre IN (\"x\")").Bind().Allows(null));
    }

    [Theory]
    [InlineData("", 0, "INCLUDE or EXCLUDE")]
    [InlineData("INCLUDE Items WHERE Items.genre IN (\"a\")", 8, "ItemID")]
    [InlineData("INCLUDE ItemID WHERE CurrentItem.genre IN (\"a\")", 21, "Items.<field>")]
    [InlineData("INCLUDE ItemID WHERE Items.genre IN (\"a\"", 40, "',' or ')'")]
    [InlineData("INCLUDE ItemID WHERE Items.genre IN (\"a) AND", 37, "unterminated")]
    [InlineData("INCLUDE ItemID WHERE Items.genre LIKE (\"a\")", 33, "expected IN")]
    [InlineData("INCLUDE ItemID WHERE Items.genre IN (\"a\") XOR", 42, "AND, OR")]
    [InlineData("INCLUDE ItemID WHERE Items.genre IN (a)", 37, "quoted value")]
    public void Parse_errors_name_the_problem_and_its_position(string expression, int position, string message)
    {
        var error = Assert.Throws<FilterParseException>(() => FilterExpression.Parse(expression));

        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("\"comedy")]
    [InlineData("\"comedy\" \"drama\"")]
    public void Malformed_filter_values_are_rejected(string value)
    {
        var expression = FilterExpression.Parse("INCLUDE ItemID WHERE Items.genre IN ($GENRES)");

        var error = Assert.Throws<FilterParseException>(() => expression.Bind(new Dictionary<string, string> { ["GENRES"] = value }));
        Assert.Contains("$GENRES", error.Message);
    }

    [Fact]
    public void Filters_apply_to_recommendations_and_their_back_fill()
    {
        var model = ToyStore.Train(ToyStore.Base(), ToyStore.Options());
        var music = FilterExpression.Parse("INCLUDE ItemID WHERE Items.genre IN ($G)").Bind(new Dictionary<string, string> { ["G"] = "\"music\"" });

        Assert.All(model.Recommend("u2", 5, music), r => Assert.Contains(r.ItemId, new[] { "C", "D", "E" }));
        Assert.Equal(["C", "D", "E"], model.Trending(5, filter: music).Select(t => t.ItemId).Order());
        Assert.Equal(["D"], model.Rerank("u1", ["A", "D"], music).Select(r => r.ItemId));
    }
}
