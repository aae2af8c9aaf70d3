using System.Text;
using Personalization.Grains.Json;
using Xunit;

namespace Personalization.Grains.Tests.Json;

public sealed class ClientJsonTests
{
    private static string[] Problems(string json, string root = "") =>
        ClientJson.Check(Encoding.UTF8.GetBytes(json), root).Problems.Select(p => p.ToString()).ToArray();

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""[{"a":{"b":[1,2,{"c":null}]}},{"a":2}]""")]
    [InlineData("\"\\uD83D\\uDE00 paired surrogates and é\"")]
    [InlineData("""{"a":{"x":1},"b":{"x":1}}""")]
    public void Accepts_well_formed_text_without_repeated_keys(string json)
    {
        var check = ClientJson.Check(Encoding.UTF8.GetBytes(json));

        Assert.True(check.IsValid, string.Join("; ", check.Problems));
        Assert.True(check.IsReadable);
    }

    [Fact]
    public void Names_a_repeated_key_by_its_path_at_any_depth_and_stays_readable()
    {
        var check = ClientJson.Check("""{"eventList":[{"eventType":"a"},{"properties":{"k":1,"k":{"x":1,"x":2}}}]}"""u8);

        Assert.Equal(["eventList[1].properties.k: duplicate key", "eventList[1].properties.k.x: duplicate key"], check.Problems.Select(p => p.ToString()));
        Assert.True(check.IsReadable);
    }

    [Theory]
    [InlineData("""{"sessionId":"\uD800"}""", "sessionId: holds a lone UTF-16 surrogate escape")]
    [InlineData("""{"a":["ok","x\uDC00"]}""", "a[1]: holds a lone UTF-16 surrogate escape")]
    [InlineData("""{"\uDBFF\uDBFF":1}""", "a key holds a lone UTF-16 surrogate escape")]
    [InlineData("""[[1],[2,{"a":"\uD83D\u0041"}]]""", "[1][1].a: holds a lone UTF-16 surrogate escape")]
    public void Names_a_lone_surrogate_escape_and_is_not_readable(string json, string expected)
    {
        var check = ClientJson.Check(Encoding.UTF8.GetBytes(json));

        Assert.StartsWith(expected, Assert.Single(check.Problems).ToString(), StringComparison.Ordinal);
        Assert.False(check.IsReadable);
    }

    [Fact]
    public void Names_bytes_that_are_not_utf8_in_values_and_keys()
    {
        byte[] value = [.. "{\"props\":{\"a\":\""u8, 0xFF, .. "\"}}"u8];
        byte[] key = [.. "{\"props\":{\""u8, 0xC3, .. "\":1}}"u8];

        Assert.Equal(["props.a: holds bytes that are not valid UTF-8"], ClientJson.Check(value).Problems.Select(p => p.ToString()));
        Assert.Equal(["props: a key holds bytes that are not valid UTF-8"], ClientJson.Check(key).Problems.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":}")]
    [InlineData("\"\\x41\"")]
    public void Reports_malformed_text_as_not_valid_json(string json)
    {
        var check = ClientJson.Check(Encoding.UTF8.GetBytes(json), "context");

        Assert.StartsWith("context: not valid JSON", Assert.Single(check.Problems).ToString(), StringComparison.Ordinal);
        Assert.False(check.IsReadable);
    }

    [Fact]
    public void Refuses_nesting_past_the_limit()
    {
        var check = ClientJson.Check(Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65)), maxDepth: 64);

        Assert.Contains("depth", Assert.Single(check.Problems).Message, StringComparison.Ordinal);
        Assert.False(check.IsReadable);
    }

    [Fact]
    public void Reports_below_the_callers_root_and_caps_the_list()
    {
        var repeated = "{" + string.Join(",", Enumerable.Repeat("\"A\":1", 1000)) + "}";

        var check = ClientJson.Check(repeated, "filterValues");

        Assert.Equal(20, check.Problems.Count);
        Assert.All(check.Problems, p => Assert.Equal("filterValues.A: duplicate key", p.ToString()));
    }

    [Fact]
    public void Finds_a_repeat_among_many_keys_and_keeps_nested_objects_keys_apart()
    {
        var members = Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{{\"k{i}\":1,\"x\":2}}").ToList();
        members.Insert(30, "\"k3\":0");

        var check = ClientJson.Check("{\"o\":{" + string.Join(",", members) + "}}");

        Assert.Equal(["o.k3: duplicate key"], check.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void A_repeated_key_followed_by_malformed_text_is_not_readable()
    {
        var check = ClientJson.Check(Encoding.UTF8.GetBytes("{" + string.Join(",", Enumerable.Repeat("\"A\":1", 50)) + ",}"));

        Assert.False(check.IsReadable);
    }
}
