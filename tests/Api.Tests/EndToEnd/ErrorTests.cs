using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Personalization.Api.Tests.Cluster;
using Personalization.Grains.Recommenders;
using Xunit;

namespace Personalization.Api.Tests.EndToEnd;

/// <summary>Every error class: the status, and a body of exactly {type, code, message} with no internals.</summary>
public sealed class ErrorTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    private HttpClient Client => Cluster.Client;

    [Theory]
    [InlineData("numResults=abc", "InvalidNumResults")]
    [InlineData("numResults=0", "InvalidNumResults")]
    [InlineData("numResults=501", "InvalidNumResults")]
    [InlineData("numResults=2.5", "InvalidNumResults")]
    [InlineData("numResults=1&numResults=2", "InvalidParameter")]
    [InlineData("filterValues=%7Bbad", "InvalidParameter")]
    [InlineData("filterValues=%5B1%2C2%5D", "InvalidParameter")]
    [InlineData("context=%7B%22a%22%3A", "InvalidParameter")]
    [InlineData("context=%22text%22", "InvalidParameter")]
    [InlineData("context=%7B%22bad%20key%22%3A%221%22%7D", "InvalidParameter")]
    [InlineData("filter=not%20a%20filter!", "InvalidFilter")]
    [InlineData("decorateItems=maybe", "InvalidParameter")]
    [InlineData("feature=no-such-feature", "UnknownFeature")]
    public async Task Bad_query_parameters_are_400_validation_errors(string query, string code)
    {
        var response = await Client.GetApiAsync("/recommend-items/fake/ab-test/error-user?" + query);

        AssertError(response, HttpStatusCode.BadRequest, "Validation", code);
        Assert.Equal(0, Cluster.BackendCalls.CountWhere(r => r.UserId == "error-user"));
    }

    [Fact]
    public async Task A_user_id_longer_than_256_characters_is_a_400()
    {
        var response = await Client.GetApiAsync("/recommend-items/fake/picks/" + new string('u', 257));

        AssertError(response, HttpStatusCode.BadRequest, "Validation", "InvalidParameter");
    }

    [Fact]
    public async Task Rerank_of_more_than_500_items_is_a_400()
    {
        var ids = Enumerable.Range(0, 501).Select(i => "x" + i).ToArray();

        var byPath = await Client.GetApiAsync("/rerank-items/fake/ranking/error-user/" + string.Join(',', ids));
        var byBody = await Client.PostJsonAsync("/rerank-items/fake/ranking/error-user", JsonSerializer.Serialize(ids));

        AssertError(byPath, HttpStatusCode.BadRequest, "Validation", "InvalidItemIds");
        AssertError(byBody, HttpStatusCode.BadRequest, "Validation", "InvalidItemIds");
    }

    [Fact]
    public async Task Rerank_ignores_numResults_but_still_validates_its_other_parameters()
    {
        var response = await Client.GetApiAsync("/rerank-items/fake/ranking/error-user/a,b?context=nope");

        AssertError(response, HttpStatusCode.BadRequest, "Validation", "InvalidParameter");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"items\":[\"a\"]}")]
    [InlineData("[1,2]")]
    [InlineData("[]")]
    [InlineData("[\"a\",")]
    [InlineData("")]
    public async Task A_bad_rerank_body_is_a_400(string body)
    {
        var response = await Client.PostJsonAsync("/rerank-items/fake/ranking/error-user", body);

        AssertError(response, HttpStatusCode.BadRequest, "Validation", "InvalidItemIds");
    }

    [Theory]
    [InlineData("/recommend-items/nowhere/picks/error-user", "NamespaceNotFound")]
    [InlineData("/recommend-items/fake/nothing/error-user", "RecommenderNotConfigured")]
    [InlineData("/recommend-items/fake/similar/error-user", "RecommenderNotConfigured")]
    [InlineData("/related-items/fake/picks/a", "RecommenderNotConfigured")]
    [InlineData("/rerank-items/nowhere/ranking/error-user/a", "NamespaceNotFound")]
    [InlineData("/experiments/nowhere/home-feed", "NamespaceNotFound")]
    [InlineData("/experiments/fake/no-such-feature", "ExperimentNotFound")]
    public async Task Unknown_namespaces_recommenders_and_experiments_are_404(string url, string code)
    {
        var response = await Client.GetApiAsync(url);

        AssertError(response, HttpStatusCode.NotFound, "Configuration", code);
    }

    [Fact]
    public async Task An_unknown_recommender_in_a_rerank_post_is_a_404()
    {
        var response = await Client.PostJsonAsync("/rerank-items/fake/nothing/error-user", "[\"a\"]");

        AssertError(response, HttpStatusCode.NotFound, "Configuration", "RecommenderNotConfigured");
    }

    [Theory]
    [InlineData(BackendFailure.Throttled, HttpStatusCode.TooManyRequests)]
    [InlineData(BackendFailure.Unavailable, HttpStatusCode.ServiceUnavailable)]
    [InlineData(BackendFailure.Timeout, HttpStatusCode.GatewayTimeout)]
    [InlineData(BackendFailure.ResourceNotFound, HttpStatusCode.BadGateway)]
    [InlineData(BackendFailure.NotSupported, HttpStatusCode.NotImplemented)]
    [InlineData(BackendFailure.InvalidRequest, HttpStatusCode.BadRequest)]
    public async Task Backend_failures_map_to_their_status_and_are_not_cached(BackendFailure failure, HttpStatusCode status)
    {
        var user = "backend-" + failure;
        Cluster.Backend.Failure = new RecommenderBackendException(failure, "Fake" + failure, $"the fake backend says {failure}", inner: new InvalidOperationException("inner secret"));
        ApiResponse response;
        try
        {
            response = await Client.GetApiAsync($"/recommend-items/fake/picks/{user}");
        }
        finally
        {
            Cluster.Backend.Failure = null;
        }

        AssertError(response, status, failure == BackendFailure.InvalidRequest ? "Validation" : "Backend", "Fake" + failure);
        Assert.Equal($"the fake backend says {failure}", response.Json.GetProperty("message").GetString());
        Assert.Contains("no-store", response.CacheControl);
        if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        {
            Assert.Equal("1", response.Headers["Retry-After"]);
        }

        var retry = await Client.GetApiAsync($"/recommend-items/fake/picks/{user}");
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(2, Cluster.BackendCalls.CountWhere(r => r.UserId == user));
    }

    [Fact]
    public async Task A_throttled_backend_passes_its_retry_after_on()
    {
        Cluster.Backend.Failure = new RecommenderBackendException(BackendFailure.Throttled, "SlowDown", "throttled", TimeSpan.FromSeconds(7));
        try
        {
            var response = await Client.GetApiAsync("/related-items/fake/similar/e");

            AssertError(response, HttpStatusCode.TooManyRequests, "Backend", "SlowDown");
            Assert.Equal("7", response.Headers["Retry-After"]);
        }
        finally
        {
            Cluster.Backend.Failure = null;
        }
    }

    [Fact]
    public async Task A_sagemaker_variation_this_silo_cannot_reach_is_covered_by_the_trending_last_resort_not_a_500()
    {
        // The test cluster has no AWS region or endpoint: the call fails as unavailable, and the namespace's built-in trending list stands in.
        var response = await Client.GetApiAsync("/recommend-items/fake/unsupported/unreachable-user");

        Assert.True(response.Status == HttpStatusCode.OK, $"expected 200, got {response}");
        Assert.Equal("fallback:1:builtin", response.Json.GetProperty("source").GetString());
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_without_internals_and_is_logged()
    {
        Cluster.Backend.Failure = new InvalidOperationException("connection string Password=hunter2 at /srv/secret.cs");
        ApiResponse response;
        try
        {
            response = await Client.GetApiAsync("/recommend-items/fake/picks/crash-user");
        }
        finally
        {
            Cluster.Backend.Failure = null;
        }

        AssertError(response, HttpStatusCode.InternalServerError, "Unhandled", "InternalError");
        Assert.DoesNotContain("hunter2", response.Body);
        Assert.DoesNotContain("InvalidOperationException", response.Body);
        Assert.Contains(Cluster.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException { Message: var m } && m.Contains("hunter2"));
    }

    private static void AssertError(ApiResponse response, HttpStatusCode status, string type, string code)
    {
        Assert.True(status == response.Status, $"expected {(int)status}, got {response}");
        Assert.StartsWith("application/json", response.ContentType);
        var properties = response.Json.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["code", "message", "type"], properties.Order());
        Assert.Equal(type, response.Json.GetProperty("type").GetString());
        Assert.Equal(code, response.Json.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(response.Json.GetProperty("message").GetString()));
        Assert.DoesNotContain("   at ", response.Body);
        Assert.DoesNotContain("inner secret", response.Body);
        Assert.Equal(TestConfig.Version, response.ConfigVersion);
    }
}
