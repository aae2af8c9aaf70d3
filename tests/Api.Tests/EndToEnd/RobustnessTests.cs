using System.Net;
using Personalization.Api.Tests.Cluster;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>Nothing a client can send yields a 500: seeded random junk in every parameter gets a 2xx/4xx with a JSON error body.</summary>
public sealed class RobustnessTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly string[] Fragments =
    [
        "", "a", "Z9", "_", "-", " ", "%", "\"", "'", "{", "}", "[", "]", ":", ",", "\\", "é", "ሴ", "\u0000", "\n", "null", "true", "1e999",
        "-1", "0", "25", "500", "501", "9999999999", "NaN", "{\"A\":\"1\"}", "{\"A\":1}", "{\"A\":{}}", "{\"\":\"x\"}", "[\"a\"]", "arn:aws:personalize:us-east-1:123456789012:filter/x",
    ];

    private static readonly string[] Parameters = ["numResults", "filter", "filterValues", "context", "decorateItems", "decorateFields", "syntheticUser", "feature", "userId"];

    private static readonly string[] Routes =
    [
        "/recommend-items/fake/picks/{0}",
        "/recommend-items/fake/ab-test/{0}",
        "/related-items/fake/similar/{0}",
        "/rerank-items/fake/ranking/u1/{0}",
        "/rerank-items/fake/ranking/{0}/a,b",
        "/experiments/fake/{0}",
    ];

    [Fact]
    public async Task Random_query_strings_and_path_segments_never_cause_a_server_error()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 300; i++)
        {
            // A NUL in the path is refused by the HTTP layer before the app (TestServer throws, Kestrel answers 400).
            var segment = Uri.EscapeDataString(Junk(random).Replace("\u0000", "", StringComparison.Ordinal));
            var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, Routes[random.Next(Routes.Length)], segment.Length == 0 ? "x" : segment);
            var query = string.Join('&', Enumerable.Range(0, random.Next(4)).Select(_ => Parameters[random.Next(Parameters.Length)] + "=" + Uri.EscapeDataString(Junk(random))));

            var response = await fixture.Cluster.Client.GetApiAsync(url + "?" + query);

            Assert.True((int)response.Status < 500, $"{url}?{query} → {response}");
            if (response.Status is not (HttpStatusCode.OK or HttpStatusCode.NotModified) && response.Body.Length > 0)
            {
                Assert.True(response.Json.TryGetProperty("code", out _), $"{url}?{query} → {response}");
            }
        }
    }

    [Fact]
    public async Task Random_rerank_bodies_never_cause_a_server_error()
    {
        var random = new Random(7);
        for (var i = 0; i < 150; i++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Fragments[random.Next(Fragments.Length)]));

            var response = await fixture.Cluster.Client.PostJsonAsync("/rerank-items/fake/ranking/u1", body);

            Assert.True((int)response.Status < 500, $"{body} → {response}");
        }
    }

    private static string Junk(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Fragments[random.Next(Fragments.Length)]));
}
