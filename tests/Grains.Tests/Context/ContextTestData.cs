using System.Text;
using Personalization.Grains.Configuration;
using Personalization.Grains.Context;
using Xunit;

namespace Personalization.Grains.Tests.Context;

internal static class ContextTestData
{
    public static AutoContextConfig Parse(string autoContextJson)
    {
        var json = $$"""{ "autoContext": {{autoContextJson}}, "namespaces": { "a": { "eventTargets": [] } } }""";
        var result = ConfigurationParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.True(result.Snapshot!.TryGetNamespace("a", out var ns));
        return ns.AutoContext;
    }

    /// <summary>One field "f" of the given type with one rule.</summary>
    public static AutoContextConfig Field(string type, string rule, string extra = "") =>
        Parse($$"""{ "f": { "type": "{{type}}", {{extra}} "rules": [ {{rule}} ] } }""");

    public static IRequestHeaders Headers(params (string Name, string Value)[] headers) =>
        RequestHeaders.FromPairs(headers.Select(h => KeyValuePair.Create(h.Name, h.Value)));

    public static AutoContextResolver Resolver(AutoContextOptions? options = null) =>
        new(options ?? new AutoContextOptions(), TimeProvider.System);

    public static IReadOnlyList<string>? Values(ResolvedContext context, string field = "f") => context[field]?.Values;
}
