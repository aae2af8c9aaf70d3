using System.Text;
using FsCheck.Fluent;
using FsCheck;
using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

public class RobustnessTests
{
    [Fact]
    public void Every_truncation_of_a_sample_gives_errors_not_exceptions()
    {
        var bytes = Samples.Read("config_auto_context.json");

        for (var length = 0; length < bytes.Length - 1; length++)
        {
            var result = ConfigurationParser.Parse(bytes.AsMemory(0, length));
            Assert.False(result.IsValid);
            Assert.NotEmpty(result.Errors);
        }
    }

    [Fact]
    public void Arbitrary_text_never_throws() =>
        Prop.ForAll<string>(text =>
        {
            var result = ConfigurationParser.Parse(Encoding.UTF8.GetBytes(text ?? ""));
            return result.IsValid != (result.Errors.Count > 0);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Wrong_value_kinds_anywhere_in_a_sample_give_errors_not_exceptions()
    {
        // Replace each string/number/bool/object value of the sample, one at a time, with a value of another kind.
        var original = Encoding.UTF8.GetString(Samples.Read("config_extensions.json"));
        var node = System.Text.Json.Nodes.JsonNode.Parse(original)!;
        var paths = new List<string>();
        Collect(node, paths);
        Assert.True(paths.Count > 50);

        foreach (var path in paths)
        {
            foreach (var replacement in new[] { "[]", "\"text\"", "-1", "{}", "true" })
            {
                var mutated = System.Text.Json.Nodes.JsonNode.Parse(original)!;
                Replace(mutated, path, System.Text.Json.Nodes.JsonNode.Parse(replacement));
                var result = ConfigurationParser.Parse(Encoding.UTF8.GetBytes(mutated.ToJsonString()));
                Assert.True(result.IsValid != (result.Errors.Count > 0), path);
            }
        }
    }

    [Fact]
    public void Duplicate_keys_are_errors()
    {
        var errors = Samples.Errors("""{ "namespaces": { "a": { "eventTargets": [] }, "a": { "eventTargets": [] } } }""");

        Assert.Equal(["namespaces.a: duplicate key"], errors);
    }

    [Fact]
    public void A_duplicate_key_at_any_depth_is_an_error_with_its_path()
    {
        var errors = Samples.Errors(Samples.WithVariations("""{ "v": { "type": "builtin", "type": "builtin" } }"""));

        Assert.Equal(["namespaces.my-store.recommenders.recommend-items.top-picks.variations.v.type: duplicate key"], errors);
    }

    [Theory]
    [InlineData("""{ "namespaces": { "\uD800": {} } }""", "namespaces: a key holds a lone UTF-16 surrogate escape")]
    [InlineData("""{ "description": "x\uDC00", "namespaces": {} }""", "description: holds a lone UTF-16 surrogate escape")]
    public void Invalid_unicode_is_an_error_with_its_path_not_an_exception(string json, string expected) =>
        Assert.StartsWith(expected, Assert.Single(Samples.Errors(json)), StringComparison.Ordinal);

    [Fact]
    public void Bytes_that_are_not_utf8_are_an_error_not_an_exception()
    {
        byte[] json = [.. "{ \"namespaces\": { \"a"u8, 0xFF, .. "\": {} } }"u8];

        Assert.Equal(["namespaces: a key holds bytes that are not valid UTF-8"], ConfigurationParser.Parse(json).Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        var bytes = "\uFEFF"u8.ToArray().Concat(Samples.Read("config_simple.json")).ToArray();

        Assert.True(ConfigurationParser.Parse(bytes).IsValid);
    }

    private static void Collect(System.Text.Json.Nodes.JsonNode node, List<string> paths, string path = "")
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    var childPath = path + "/" + key;
                    paths.Add(childPath);
                    if (child is not null)
                    {
                        Collect(child, paths, childPath);
                    }
                }

                break;
            case System.Text.Json.Nodes.JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var childPath = path + "/#" + i;
                    paths.Add(childPath);
                    Collect(array[i]!, paths, childPath);
                }

                break;
        }
    }

    private static void Replace(System.Text.Json.Nodes.JsonNode root, string path, System.Text.Json.Nodes.JsonNode? value)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = segment.StartsWith('#') ? parent[int.Parse(segment[1..], System.Globalization.CultureInfo.InvariantCulture)]! : parent[segment]!;
        }

        var last = segments[^1];
        if (last.StartsWith('#'))
        {
            parent.AsArray()[int.Parse(last[1..], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent.AsObject()[last] = value;
        }
    }
}
