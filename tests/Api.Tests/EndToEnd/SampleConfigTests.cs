using System.Net;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Configuration;
using Personalization.LocalAws;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>
/// The original project's sample configurations, unchanged, through a whole silo. Their Personalize ARNs are
/// placeholders; the fake backend answers for personalize-campaign variations unless a test removes it.
/// </summary>
public sealed class SampleConfigTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    private static Task<TestCluster> StartAsync(string sample, bool fake = true) =>
        TestCluster.StartAsync(new TestClusterOptions
        {
            ConfigJson = Sample(sample),
            SampleData = false,
            FakeBackendTypes = fake ? [VariationType.PersonalizeCampaign] : [],
        });

    [Theory]
    [InlineData("config_simple.json", "my-store", 3, "1")]
    [InlineData("config_experiment.json", "my-store", 1, "1")]
    [InlineData("config_auto_context.json", "my-store", 1, "1")]
    [InlineData("config_custom_lambda.json", "my-namespace", 1, null)]
    public async Task Each_sample_loads_unchanged_and_is_ready_with_a_documented_path_per_recommender(string sample, string ns, int recommenders, string? version)
    {
        await using var cluster = await StartAsync(sample);

        var ready = await cluster.Client.GetApiAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal(version, ready.ConfigVersion);
        var admin = await cluster.Client.GetApiAsync("/admin/config");
        Assert.Equal("file:" + cluster.ConfigPath, admin.Json.GetProperty("lastActivation").GetProperty("origin").GetString());
        var paths = (await cluster.Client.GetApiAsync("/openapi.json")).Json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        var snapshot = cluster.Silos[0].Configuration.Current!;
        Assert.Equal(recommenders, snapshot.Namespaces.Sum(ns => ns.Recommenders.Count));
        foreach (var recommender in snapshot.Namespaces.SelectMany(ns => ns.Recommenders))
        {
            Assert.Contains(paths, p => p.StartsWith($"/{recommender.Action.ToWireName()}/{ns}/{recommender.Name}/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Simple_config_serves_every_action_with_its_cache_control_and_validates_input()
    {
        await using var cluster = await StartAsync("config_simple.json");
        var client = cluster.Client;

        var recommend = await client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u1");
        var related = await client.GetApiAsync("/related-items/my-store/similar/a");
        var rerank = await client.GetApiAsync("/rerank-items/my-store/personalized-ranking/u1/a,b");

        Assert.Equal(HttpStatusCode.OK, recommend.Status);
        Assert.Equal("private, max-age=10", recommend.CacheControl);
        Assert.Equal("public, max-age=1200", related.CacheControl);
        Assert.Equal(["b", "a"], rerank.ItemIds);
        Assert.Equal("1", recommend.ConfigVersion);
        var call = cluster.Backend.Requests.First(r => r.Recommender.Name == "recommended-for-you");
        Assert.Equal("arn:aws:personalize:[REGION]:[ACCOUNT]:campaign/[CAMPAIGN_NAME]", call.Variation.Arn);
        Assert.NotNull(call.Filter);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetApiAsync("/recommend-items/other-store/recommended-for-you/u1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetApiAsync("/recommend-items/my-store/similar/u1")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u1?numResults=many")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u1?feature=none")).Status);
    }

    [Fact]
    public async Task Without_a_personalize_backend_a_campaign_call_fails_as_a_backend_error_not_a_500()
    {
        await using var cluster = await StartAsync("config_simple.json", fake: false);

        var response = await cluster.Client.GetApiAsync("/recommend-items/my-store/recommended-for-you/u1");

        Assert.Contains((int)response.Status, new[] { 501, 502, 503, 504 });
        Assert.Equal("Backend", response.Json.GetProperty("type").GetString());
        Assert.Equal("1", response.ConfigVersion);
    }

    [Fact]
    public async Task The_custom_lambda_sample_is_served_by_its_function_through_the_local_Lambda_server()
    {
        await using var aws = await LocalAwsServer.StartAsync();
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            ConfigJson = Sample("config_custom_lambda.json"),
            SampleData = false,
            FakeBackendTypes = [],
            Settings = new Dictionary<string, string>
            {
                ["Aws:Region"] = "us-east-1",
                ["Aws:AccessKeyId"] = LocalAwsOptions.TestAccessKeyId,
                ["Aws:SecretAccessKey"] = LocalAwsOptions.TestSecretAccessKey,
                ["Aws:ServiceUrls:lambda"] = aws.Url.ToString(),
            },
        });

        var response = await cluster.Client.GetApiAsync("/recommend-items/my-namespace/lambda-recs/u1?numResults=4");

        Assert.True(response.Status == HttpStatusCode.OK, $"expected 200, got {response}");
        Assert.Equal(aws.State.DefaultRecommender.ItemsFor("u1", null, 4), response.ItemIds);
        var call = Assert.Single(aws.State.Recorded.For("Invoke"));
        Assert.Contains("function:My-Custom-Function/invocations", Uri.UnescapeDataString(call.Target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidently_experiment_is_served_by_the_builtin_engine_with_matched_experiment_and_counted()
    {
        await using var cluster = await StartAsync("config_experiment.json");
        var client = cluster.Client;

        var response = await client.GetApiAsync("/related-items/my-store/similar/a?userId=u1");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var matched = response.Json.GetProperty("matchedExperiment");
        Assert.Equal("evidently", matched.GetProperty("type").GetString());
        Assert.Equal("product-detail-view", matched.GetProperty("feature").GetString());
        var variation = matched.GetProperty("details").GetProperty("variation").GetString();
        Assert.Contains(variation, new[] { "sims", "similar-items" });
        Assert.Equal("EXPERIMENT_RULE_MATCH", matched.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(variation, cluster.Backend.LastRequest.Variation.Key);

        var anonymous = await client.GetApiAsync("/related-items/my-store/similar/a");
        Assert.False(anonymous.Json.TryGetProperty("matchedExperiment", out _));

        var report = await client.GetApiAsync("/experiments/my-store/product-detail-view");
        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.Equal("productDetailRecClicked", report.Json.GetProperty("metric").GetString());
        var arms = report.Json.GetProperty("arms").EnumerateArray().ToDictionary(a => a.GetProperty("variation").GetString()!, a => a.GetProperty("usersExposed").GetInt64());
        Assert.Equal(1, arms[variation!]);
        Assert.Equal(1, arms.Values.Sum());
    }

    [Fact]
    public async Task Auto_context_sample_turns_viewer_headers_into_context_and_filter_values()
    {
        await using var cluster = await StartAsync("config_auto_context.json");
        var client = cluster.Client;
        const string url = "/recommend-items/my-store/product-recommender/u1";

        var phone = await client.GetApiAsync(url, ("cloudfront-is-mobile-viewer", "true"), ("cloudfront-viewer-city", "Seattle"), ("cloudfront-viewer-metro-code", "819"));

        Assert.Equal(HttpStatusCode.OK, phone.Status);
        var call = cluster.Backend.LastRequest;
        Assert.Equal("Phone", call.Context["deviceType"]);
        Assert.Equal("Seattle", call.Context["city"]);
        Assert.Equal("Afternoon", call.Context["timeOfDay"]);
        // Personalize takes string filter values as a quoted list.
        Assert.Equal("\"819\"", call.FilterValues["METRO_CODE"]);

        // The sample configures no caching: nothing is reused, and the default header says so.
        Assert.Equal("private, max-age=0", phone.CacheControl);

        await client.GetApiAsync(url, ("cloudfront-is-tablet-viewer", "true"));
        Assert.Equal("Tablet", cluster.Backend.LastRequest.Context["deviceType"]);
        Assert.False(cluster.Backend.LastRequest.Context.ContainsKey("city"));
    }
}
