using System.Net;
using System.Text.Json;
using Personalization.Api.Tests.Hosting;
using Personalization.LocalAws;
using Personalization.LocalAws.Faults;
using Xunit;

namespace Personalization.Api.Tests.Personalize;

/// <summary>
/// Issue 15 end to end: a silo whose Personalize campaign fails (the local Personalize server's fault injection, over
/// real HTTP and SigV4) still answers 200, from the configured fallback or the built-in trending last resort, and says so.
/// </summary>
public sealed class FallbackThroughApiTests : IAsyncLifetime
{
    private const string Config = """
        { "version": "fb-1",
          "cacheControl": { "userSpecified": { "maxAge": 60, "directives": "private" }, "syntheticUserSpecified": { "maxAge": 60 }, "noUserSpecified": { "maxAge": 60 } },
          "namespaces": { "my-store": {
            "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
            "recommenders": { "recommend-items": {
              "for-you": { "variations": { "up": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/up",
                "fallbacks": [ { "type": "personalize-recommender", "arn": "arn:aws:personalize:us-east-1:123456789012:recommender/popular" } ] } } },
              "bare": { "variations": { "up": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/bare" } } },
              "sie": { "cacheControl": { "staleIfError": 600, "userSpecified": { "maxAge": 1, "directives": "private" } },
                "variations": { "up": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/sie" } } } } } } } }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("fb-api-").FullName;
    private LocalAwsServer _aws = null!;
    private LoopbackSilo _silo = null!;

    private HttpClient Client => _silo.Client;

    public async Task InitializeAsync()
    {
        await File.WriteAllLinesAsync(
            Path.Combine(_folder, "items.jsonl"),
            Enumerable.Range(0, 30).Select(i => $$"""{"id":"i{{i}}","name":"Item {{i}}"}"""));
        _aws = await LocalAwsServer.StartAsync();
        _silo = await LoopbackSilo.StartAsync(_folder, Config,
        [
            "--Aws:Region=us-east-1",
            $"--Aws:AccessKeyId={LocalAwsOptions.TestAccessKeyId}",
            $"--Aws:SecretAccessKey={LocalAwsOptions.TestSecretAccessKey}",
            $"--Aws:ServiceUrls:personalize-runtime={_aws.Url}",
            "--Aws:MaxRetries=0",
        ]);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _aws.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_normal_path_says_primary_in_the_header_and_keeps_the_original_body()
    {
        using var response = await Client.GetAsync("/recommend-items/my-store/for-you/u1?numResults=3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("primary", Source(response));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.TryGetProperty("source", out _));
    }

    [Fact]
    public async Task A_failing_campaign_is_answered_by_its_fallback_with_the_source_named()
    {
        // The first call of the campaign fails with 5xx; the fallback recommender's call goes through.
        _aws.State.Faults.FailNext("GetRecommendations", 1, InjectedFault.ServiceUnavailable);
        using var response = await Client.GetAsync("/recommend-items/my-store/for-you/u2?numResults=3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:1:personalize-recommender", Source(response));
        Assert.Equal("private, max-age=5", response.Headers.NonValidated["Cache-Control"].ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("fallback:1:personalize-recommender", body.RootElement.GetProperty("source").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("itemList").GetArrayLength());

        var calls = _aws.State.Recorded.For("GetRecommendations").Select(c => JsonDocument.Parse(c.Body).RootElement).ToArray();
        Assert.Equal("arn:aws:personalize:us-east-1:123456789012:campaign/up", calls[0].GetProperty("campaignArn").GetString());
        Assert.Equal("arn:aws:personalize:us-east-1:123456789012:recommender/popular", calls[1].GetProperty("recommenderArn").GetString());
    }

    [Theory]
    [InlineData("ServiceUnavailableException", 503)]
    [InlineData("ThrottlingException", 400)]
    [InlineData("ResourceNotFoundException", 404)]
    public async Task When_Personalize_fails_entirely_the_catalog_trending_list_answers(string errorCode, int status)
    {
        _aws.State.Faults.FailNext("*", 1000, new InjectedFault(errorCode, status, "injected"));
        using var response = await Client.GetAsync("/recommend-items/my-store/bare/u3?numResults=4");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:1:builtin", Source(response));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.All(body.RootElement.GetProperty("itemList").EnumerateArray(), item => Assert.StartsWith("i", item.GetProperty("itemId").GetString()));
        Assert.Equal("fallback:1:builtin", body.RootElement.GetProperty("source").GetString());

        // The breaker and the answers by source are visible in the metrics.
        var metrics = await Client.GetStringAsync("/metrics");
        Assert.Contains("recommendations_answers_fallback", metrics);
        Assert.Contains("recommendations_backend_circuit_state", metrics);
        Assert.Contains("campaign/bare", metrics);
    }

    [Fact]
    public async Task A_campaign_slower_than_its_budget_is_cut_and_answered_by_the_fallback()
    {
        _aws.State.Faults.SetLatency("GetRecommendations", TimeSpan.FromSeconds(10));
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await Client.GetAsync("/recommend-items/my-store/bare/u4?numResults=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:1:builtin", Source(response));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task An_expired_answer_within_staleIfError_is_served_as_stale_when_the_campaign_fails()
    {
        using var first = await Client.GetAsync("/recommend-items/my-store/sie/u5?numResults=3");
        Assert.Equal("primary", Source(first));
        using var fresh = JsonDocument.Parse(await first.Content.ReadAsStringAsync());

        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        _aws.State.Faults.FailShare("GetRecommendations", 100, InjectedFault.ServiceUnavailable);
        using var response = await Client.GetAsync("/recommend-items/my-store/sie/u5?numResults=3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stale", Source(response));
        using var stale = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("stale", stale.RootElement.GetProperty("source").GetString());
        Assert.Equal(fresh.RootElement.GetProperty("itemList").GetRawText(), stale.RootElement.GetProperty("itemList").GetRawText());
        Assert.Equal(fresh.RootElement.GetProperty("recommendationId").GetString(), stale.RootElement.GetProperty("recommendationId").GetString());
        Assert.NotEqual(first.Headers.ETag, response.Headers.ETag);
    }

    private static string? Source(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Personalization-Source", out var values) ? values.Single() : null;
}
