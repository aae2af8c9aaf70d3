using System.Text;
using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

internal static class Samples
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Configuration", "Samples", name));

    public static ConfigurationParseResult Parse(string json) => ConfigurationParser.Parse(Encoding.UTF8.GetBytes(json));

    public static ConfigurationSnapshot Valid(string json)
    {
        var result = Parse(json);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Snapshot!;
    }

    public static List<string> Errors(string json) => Parse(json).Errors.Select(e => e.ToString()).ToList();

    /// <summary>A document with one recommend-items recommender "top-picks" whose variations object is given.</summary>
    public static string WithVariations(string variations) => $$"""
        { "namespaces": { "my-store": { "recommenders": { "recommend-items": { "top-picks": { "variations": {{variations}} } } } } } }
        """;

    public static string WithVariation(string variation) => WithVariations($$"""{ "v1": {{variation}} }""");

    public const string CampaignArn = "arn:aws:personalize:us-east-1:123456789012:campaign/my-campaign";
}
