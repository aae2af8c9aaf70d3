using System.Net;
using System.Text.Json;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>Every endpoint answers in the spec's shape, through the whole silo (routing → grains → backend → decoration).</summary>
public sealed class EndpointTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    private HttpClient Client => Cluster.Client;

    [Fact]
    public async Task Recommend_items_returns_the_backend_items_decorated_with_a_recommendation_id()
    {
        var response = await Client.GetApiAsync("/recommend-items/fake/picks/endpoint-user-1?numResults=3");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.StartsWith("application/json", response.ContentType);
        Assert.Equal(["a", "b", "c"], response.ItemIds);
        Assert.Equal("Alpha", response.Items[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal(1.0, response.Items[0].GetProperty("score").GetDouble());
        Assert.StartsWith("fake-", response.Json.GetProperty("recommendationId").GetString());
        var call = Cluster.Backend.Requests.Last(r => r.UserId == "endpoint-user-1");
        Assert.Equal(3, call.NumResults);
        Assert.Equal(RecommenderAction.RecommendItems, call.Recommender.Action);
    }

    [Fact]
    public async Task Recommend_items_from_the_builtin_recommender_honours_numResults_and_decorates_from_the_sample_catalog()
    {
        var response = await Client.GetApiAsync($"/recommend-items/store/for-you/{SampleData.KnownUser}?numResults=7");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(7, response.ItemIds.Count);
        Assert.Equal(7, response.ItemIds.Distinct().Count());
        Assert.All(response.Items, item => Assert.True(item.GetProperty("metadata").TryGetProperty("category", out _)));
        Assert.StartsWith("builtin-", response.Json.GetProperty("recommendationId").GetString());
    }

    [Fact]
    public async Task Builtin_responses_are_cached_too()
    {
        var first = await Client.GetApiAsync("/recommend-items/store/trending/endpoint-user-cached");
        var second = await Client.GetApiAsync("/recommend-items/store/trending/endpoint-user-cached");

        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal(1, Cluster.BackendCalls.CountWhere(r => r.UserId == "endpoint-user-cached"));
    }

    [Fact]
    public async Task Default_numResults_is_25()
    {
        var response = await Client.GetApiAsync("/recommend-items/store/trending/endpoint-user-2");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(25, response.ItemIds.Count);
    }

    [Fact]
    public async Task Related_items_without_a_user_asks_the_backend_for_the_item_only()
    {
        var response = await Client.GetApiAsync("/related-items/fake/similar/c?numResults=2");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["a", "b"], response.ItemIds);
        var call = Cluster.Backend.Requests.Last(r => r.Recommender.Name == "similar" && r.ItemId == "c");
        Assert.Null(call.UserId);
    }

    [Fact]
    public async Task Related_items_with_a_user_passes_the_user_to_the_backend()
    {
        var response = await Client.GetApiAsync("/related-items/fake/similar/d?userId=endpoint-user-3");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var call = Cluster.Backend.Requests.Last(r => r.Recommender.Name == "similar" && r.ItemId == "d");
        Assert.Equal("endpoint-user-3", call.UserId);
    }

    [Fact]
    public async Task Related_items_from_the_builtin_recommender_does_not_return_the_item_itself()
    {
        var response = await Client.GetApiAsync($"/related-items/store/similar-items/{SampleData.KnownItem}?numResults=5");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.NotEmpty(response.ItemIds);
        Assert.DoesNotContain(SampleData.KnownItem, response.ItemIds);
    }

    [Fact]
    public async Task Rerank_items_by_path_returns_a_personalized_ranking_of_the_given_items()
    {
        var response = await Client.GetApiAsync("/rerank-items/fake/ranking/endpoint-user-4/a,b,c");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Json.TryGetProperty("personalizedRanking", out _));
        Assert.False(response.Json.TryGetProperty("itemList", out _));
        Assert.Equal(["c", "b", "a"], response.ItemIds);
        Assert.Equal("Charlie", response.Items[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal(["a", "b", "c"], Cluster.Backend.Requests.Last(r => r.UserId == "endpoint-user-4").InputList);
    }

    [Fact]
    public async Task Rerank_items_by_post_takes_a_json_array_of_item_ids()
    {
        var response = await Client.PostJsonAsync("/rerank-items/fake/ranking/endpoint-user-5", """["d","e"]""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["e", "d"], response.ItemIds);
    }

    [Fact]
    public async Task Rerank_items_from_the_builtin_recommender_returns_exactly_the_given_items()
    {
        var ids = new[] { "i00003", "i00010", "i00020", "i00100" };
        var response = await Client.PostJsonAsync($"/rerank-items/store/personalized-ranking/{SampleData.KnownUser}", JsonSerializer.Serialize(ids));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(ids.Order(), response.ItemIds.Order());
    }

    [Fact]
    public async Task Health_is_ok()
    {
        var response = await Client.GetApiAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Healthy", response.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_reports_configuration_and_data_loaded()
    {
        var response = await Client.GetApiAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Json.GetProperty("configurationLoaded").GetBoolean());
        Assert.True(response.Json.GetProperty("dataLoaded").GetBoolean());
        Assert.Equal(TestConfig.Version, response.Json.GetProperty("configVersion").GetString());
    }

    [Fact]
    public async Task Admin_config_reports_the_live_version_and_the_loaded_catalogs()
    {
        var response = await Client.GetApiAsync("/admin/config");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(TestConfig.Version, response.Json.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, JsonOrNull(response.Json, "lastRejection"));
        var catalogs = response.Json.GetProperty("catalogs").EnumerateArray().ToDictionary(c => c.GetProperty("namespace").GetString()!, c => c.GetProperty("items").GetInt32());
        Assert.Equal(TestCatalog.Lines.Length, catalogs["fake"]);
        Assert.Equal(SampleData.Options.ItemCount, catalogs["store"]);
    }

    [Fact]
    public async Task Metrics_are_exposed_in_prometheus_text_format()
    {
        await Client.GetApiAsync("/recommend-items/fake/picks/endpoint-user-6");
        var response = await Client.GetApiAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.StartsWith("text/plain", response.ContentType);
        Assert.Contains("# TYPE ", response.Body);
    }

    [Fact]
    public async Task Experiments_endpoint_reports_every_arm()
    {
        var response = await Client.GetApiAsync("/experiments/fake/home-feed");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("home-feed", response.Json.GetProperty("feature").GetString());
        var arms = response.Json.GetProperty("arms").EnumerateArray().Select(a => a.GetProperty("variation").GetString()).ToList();
        Assert.Equal(["control", "treatment"], arms.Order());
    }

    [Fact]
    public async Task OpenApi_document_has_a_path_per_configured_recommender()
    {
        var response = await Client.GetApiAsync("/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("3.0.3", response.Json.GetProperty("openapi").GetString());
        var paths = response.Json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        var snapshot = Cluster.Silos[0].Configuration.Current!;
        var recommenders = snapshot.Namespaces.SelectMany(ns => ns.Recommenders.Select(r => (ns.Key, r))).ToList();
        Assert.Equal(9, recommenders.Count);
        foreach (var (ns, recommender) in recommenders)
        {
            var prefix = $"/{recommender.Action.ToWireName()}/{ns}/{recommender.Name}/";
            Assert.Contains(paths, p => p.StartsWith(prefix, StringComparison.Ordinal));
        }

        Assert.Contains("/recommend-items/fake/picks/{userId}", paths);
        Assert.Contains("/related-items/fake/similar/{itemId}", paths);
        Assert.Contains("/rerank-items/fake/ranking/{userId}/{itemIds}", paths);
        Assert.Contains("/rerank-items/fake/ranking/{userId}", paths);
        var parameters = response.Json.GetProperty("paths").GetProperty("/recommend-items/fake/picks/{userId}").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("numResults", parameters);
        Assert.Contains("filterValues", parameters);
    }

    [Fact]
    public async Task Swagger_ui_is_served_over_the_live_document()
    {
        var page = await Client.GetApiAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("text/html", page.ContentType);
        Assert.Contains("swagger-ui", page.Body, StringComparison.OrdinalIgnoreCase);
        var initializer = await Client.GetApiAsync("/swagger/index.js");
        Assert.Contains("/openapi.json", page.Body + initializer.Body);
    }

    [Theory]
    [InlineData("/recommend-items/fake/picks/header-user")]
    [InlineData("/related-items/fake/similar/a")]
    [InlineData("/rerank-items/fake/ranking/header-user/a,b")]
    [InlineData("/health")]
    [InlineData("/ready")]
    [InlineData("/admin/config")]
    [InlineData("/metrics")]
    [InlineData("/openapi.json")]
    [InlineData("/swagger/index.html")]
    [InlineData("/experiments/fake/home-feed")]
    [InlineData("/recommend-items/fake/picks/header-user?numResults=0")]
    [InlineData("/recommend-items/nowhere/picks/header-user")]
    [InlineData("/recommend-items/fake/unsupported/header-user")]
    [InlineData("/no-such-route")]
    public async Task Every_response_carries_the_config_version(string url)
    {
        var response = await Client.GetApiAsync(url);

        Assert.Equal(TestConfig.Version, response.ConfigVersion);
    }

    [Fact]
    public async Task A_not_modified_response_carries_the_config_version()
    {
        var first = await Client.GetApiAsync("/recommend-items/fake/picks/header-user-304");
        var second = await Client.GetApiAsync("/recommend-items/fake/picks/header-user-304", ("If-None-Match", first.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, second.Status);
        Assert.Equal(TestConfig.Version, second.ConfigVersion);
    }

    private static JsonValueKind JsonOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind : JsonValueKind.Null;
}
