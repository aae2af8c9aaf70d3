using System.Net;
using System.Text.Json;
using Personalization.Api.Tests.Hosting;
using Personalization.LocalAws;
using Personalization.LocalAws.Faults;
using Xunit;

namespace Personalization.Api.Tests.Personalize;

/// <summary>
/// recommend / related / rerank end to end through the API with Personalize variations, against the local
/// Personalize server over real HTTP and SigV4.
/// </summary>
public sealed class PersonalizeThroughApiTests : IAsyncLifetime
{
    private const string Config = """
        { "version": "pz-1",
          "cacheControl": { "userSpecified": { "maxAge": 10, "directives": "private" }, "syntheticUserSpecified": { "maxAge": 300, "directives": "public" }, "noUserSpecified": { "maxAge": 1200, "directives": "public" } },
          "namespaces": { "my-store": {
            "recommenders": {
              "recommend-items": { "for-you": { "variations": { "up": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/up",
                  "filters": [{ "arn": "arn:aws:personalize:us-east-1:123456789012:filter/no-shoes" }] } } } },
              "related-items": { "similar": { "variations": { "sims": { "type": "personalize-recommender", "arn": "arn:aws:personalize:us-east-1:123456789012:recommender/sims" } } } },
              "rerank-items": { "ranking": { "variations": { "rank": { "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/rank" } } } } },
            "eventTargets": [{ "type": "personalize-event-tracker", "trackingId": "tracker-1" }] } } }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("pz-api-").FullName;
    private LocalAwsServer _aws = null!;
    private LoopbackSilo _silo = null!;

    private HttpClient _client => _silo.Client;

    public async Task InitializeAsync()
    {
        _aws = await LocalAwsServer.StartAsync();
        _silo = await LoopbackSilo.StartAsync(_folder, Config,
        [
            "--Aws:Region=us-east-1",
            $"--Aws:AccessKeyId={LocalAwsOptions.TestAccessKeyId}",
            $"--Aws:SecretAccessKey={LocalAwsOptions.TestSecretAccessKey}",
            $"--Aws:ServiceUrls:personalize-runtime={_aws.Url}",
            $"--Aws:ServiceUrls:personalize-events={_aws.Url}",
            "--Aws:MaxRetries=1",
            "--Aws:RetryBaseDelay=00:00:00",
            "--Aws:RetryMaxDelay=00:00:00",
        ]);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _aws.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Recommend_items_calls_GetRecommendations_with_the_campaign_and_its_filter()
    {
        using var response = await _client.GetAsync("/recommend-items/my-store/for-you/u1?numResults=3&context=%7B%22DEVICE%22%3A%22mobile%22%7D");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = body.RootElement.GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()!).ToArray();
        Assert.Equal(_aws.State.DefaultRecommender.ItemsFor("u1", null, 3), items);
        Assert.StartsWith("RID-", body.RootElement.GetProperty("recommendationId").GetString());

        using var sent = JsonDocument.Parse(Assert.Single(_aws.State.Recorded.For("GetRecommendations")).Body);
        Assert.Equal("arn:aws:personalize:us-east-1:123456789012:campaign/up", sent.RootElement.GetProperty("campaignArn").GetString());
        Assert.Equal("arn:aws:personalize:us-east-1:123456789012:filter/no-shoes", sent.RootElement.GetProperty("filterArn").GetString());
        Assert.Equal("u1", sent.RootElement.GetProperty("userId").GetString());
        Assert.Equal(3, sent.RootElement.GetProperty("numResults").GetInt32());
        Assert.Equal("mobile", sent.RootElement.GetProperty("context").GetProperty("DEVICE").GetString());
    }

    [Fact]
    public async Task Related_items_use_the_recommender_arn_and_rerank_calls_GetPersonalizedRanking()
    {
        using (var related = await _client.GetAsync("/related-items/my-store/similar/i1?numResults=2"))
        {
            Assert.Equal(HttpStatusCode.OK, related.StatusCode);
        }

        using var sentRelated = JsonDocument.Parse(Assert.Single(_aws.State.Recorded.For("GetRecommendations")).Body);
        Assert.Equal("arn:aws:personalize:us-east-1:123456789012:recommender/sims", sentRelated.RootElement.GetProperty("recommenderArn").GetString());
        Assert.Equal("i1", sentRelated.RootElement.GetProperty("itemId").GetString());

        using var rerank = await _client.PostAsync("/rerank-items/my-store/ranking/u1", new StringContent("[\"a\",\"b\",\"c\"]"));
        Assert.Equal(HttpStatusCode.OK, rerank.StatusCode);
        using var ranked = JsonDocument.Parse(await rerank.Content.ReadAsStringAsync());
        Assert.Equal(3, ranked.RootElement.GetProperty("personalizedRanking").GetArrayLength());
        using var sentRanking = JsonDocument.Parse(Assert.Single(_aws.State.Recorded.For("GetPersonalizedRanking")).Body);
        Assert.Equal(["a", "b", "c"], sentRanking.RootElement.GetProperty("inputList").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("ThrottlingException", 400, HttpStatusCode.TooManyRequests)]
    [InlineData("ServiceUnavailableException", 503, HttpStatusCode.ServiceUnavailable)]
    [InlineData("ResourceNotFoundException", 404, HttpStatusCode.BadGateway)]
    [InlineData("InvalidInputException", 400, HttpStatusCode.BadRequest)]
    public async Task Backend_errors_map_to_json_errors_never_500(string errorCode, int awsStatus, HttpStatusCode expected)
    {
        _aws.State.Faults.FailNext("GetRecommendations", 5, new InjectedFault(errorCode, awsStatus, "injected"));
        using var response = await _client.GetAsync("/recommend-items/my-store/for-you/u-errors");
        Assert.Equal(expected, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("code").GetString()));
        Assert.DoesNotContain("   at ", body.RootElement.GetProperty("message").GetString());
        if (expected == HttpStatusCode.TooManyRequests)
        {
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }

    [Fact]
    public async Task Events_reach_the_event_tracker_with_its_tracking_id()
    {
        using var response = await _client.PostAsync("/events/my-store", new StringContent("""{"sessionId":"s1","userId":"u1","eventList":[{"eventType":"click","itemId":"i1"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(Assert.Single(_aws.State.Recorded.For("PutEvents")).Body);
        Assert.Equal("tracker-1", sent.RootElement.GetProperty("trackingId").GetString());
        Assert.Equal("i1", sent.RootElement.GetProperty("eventList")[0].GetProperty("itemId").GetString());
    }
}
