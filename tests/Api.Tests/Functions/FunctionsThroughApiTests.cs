using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Personalization.Api.Tests.Hosting;
using Personalization.LocalAws;
using Personalization.LocalAws.Services;
using Xunit;

namespace Personalization.Api.Tests.Functions;

/// <summary>
/// Issue 16 end to end: lambda and sagemaker variations, the response post-processor and Personalize promotions
/// through one real silo against the local AWS server over HTTP and SigV4. One silo for the class (tests run in
/// order); each test uses its own recommenders, functions and users.
/// </summary>
public sealed partial class FunctionsThroughApiTests(FunctionsThroughApiTests.Fixture fixture) : IClassFixture<FunctionsThroughApiTests.Fixture>
{
    private const string Account = "arn:aws:personalize:us-east-1:123456789012";

    private const string Config = $$"""
        { "version": "fn-1", "fallbackToTrending": false,
          "cacheControl": { "userSpecified": { "maxAge": 60, "directives": "private" }, "syntheticUserSpecified": { "maxAge": 60 }, "noUserSpecified": { "maxAge": 60 } },
          "namespaces": { "shop": {
            "inferenceItemMetadata": { "type": "localdb", "path": "items.jsonl" },
            "recommenders": {
              "recommend-items": {
                "lambda-recs": { "variations": { "fn": { "type": "lambda", "arn": "arn:aws:lambda:us-east-1:123456789012:function:custom-recs", "model": "v2" } } },
                "failing": { "variations": { "fn": { "type": "lambda", "arn": "failing-fn" } } },
                "malformed": { "variations": { "fn": { "type": "function", "arn": "malformed-fn" } } },
                "slow": { "variations": { "fn": { "type": "lambda", "arn": "slow-fn" } } },
                "with-fallback": { "variations": { "fn": { "type": "lambda", "arn": "failing-fn",
                  "fallbacks": [ { "type": "personalize-campaign", "arn": "{{Account}}:campaign/backup" } ] } } },
                "post-processed": {
                  "responsePostProcessor": { "type": "lambda", "arn": "arn:aws:lambda:us-east-1:123456789012:function:pp-fn", "lookAheadMultiplier": 2 },
                  "variations": { "up": { "type": "personalize-campaign", "arn": "{{Account}}:campaign/up" } } },
                "post-lenient": {
                  "responsePostProcessor": { "type": "lambda", "arn": "broken-pp" },
                  "variations": { "up": { "type": "personalize-campaign", "arn": "{{Account}}:campaign/up" } } },
                "post-strict": {
                  "responsePostProcessor": { "type": "lambda", "arn": "broken-pp", "onError": "fail" },
                  "variations": { "up": { "type": "personalize-campaign", "arn": "{{Account}}:campaign/up" } } },
                "promoted": { "variations": { "up": { "type": "personalize-recommender", "arn": "{{Account}}:recommender/top-picks",
                  "promotions": [ { "name": "house-brand", "percentPromotedItems": 50, "filterArn": "{{Account}}:filter/house-brand" } ] } } } },
              "related-items": {
                "sm-related": { "variations": { "sm": { "type": "sagemaker", "endpointName": "recs-endpoint" } } },
                "sm-broken": { "variations": { "sm": { "type": "sagemaker", "endpointName": "broken-endpoint" } } } },
              "rerank-items": {
                "fn-rank": { "variations": { "fn": { "type": "function", "arn": "custom-recs" } } } } } } } }
        """;

    private HttpClient Client => fixture.Silo.Client;

    private LocalAwsState Aws => fixture.Aws.State;

    [Fact]
    public async Task A_lambda_variation_serves_the_functions_items_decorated_from_the_catalog()
    {
        var response = await Client.GetAsync("/recommend-items/shop/lambda-recs/u1?numResults=3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await Json(response);
        var items = body.RootElement.GetProperty("itemList").EnumerateArray().ToArray();
        Assert.Equal(Aws.DefaultRecommender.ItemsFor("u1", null, 3), items.Select(i => i.GetProperty("itemId").GetString()));
        Assert.Equal("Item " + items[0].GetProperty("itemId").GetString(), items[0].GetProperty("metadata").GetProperty("name").GetString());

        using var payload = JsonDocument.Parse(Assert.Single(Aws.Recorded.For("Invoke"), c => c.Body.Contains("\"u1\"", StringComparison.Ordinal)).Body);
        Assert.Equal(("1.0", "recommend-items", "lambda-recs", "v2", 3), (
            payload.RootElement.GetProperty("version").GetString(),
            payload.RootElement.GetProperty("action").GetString(),
            payload.RootElement.GetProperty("recommender").GetProperty("path").GetString(),
            payload.RootElement.GetProperty("variation").GetProperty("model").GetString(),
            payload.RootElement.GetProperty("numResults").GetInt32()));
    }

    [Fact]
    public async Task A_sagemaker_variation_serves_related_items_and_a_function_reranks()
    {
        using var related = await Client.GetAsync("/related-items/shop/sm-related/item-5?numResults=4");
        Assert.Equal(HttpStatusCode.OK, related.StatusCode);
        using (var body = await Json(related))
        {
            Assert.Equal(Aws.DefaultRecommender.ItemsFor(null, "item-5", 4), body.RootElement.GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()));
        }

        using var rerank = await Client.PostAsync("/rerank-items/shop/fn-rank/u2", new StringContent("""["item-1","item-2","item-3"]"""));
        Assert.Equal(HttpStatusCode.OK, rerank.StatusCode);
        using var ranked = await Json(rerank);
        Assert.Equal(["item-1", "item-2", "item-3"], ranked.RootElement.GetProperty("personalizedRanking").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()!).Order());
    }

    [Fact]
    public async Task A_function_error_a_malformed_answer_and_a_model_error_are_502_json_errors()
    {
        await AssertErrorAsync("/recommend-items/shop/failing/u3", HttpStatusCode.BadGateway, "FunctionError");
        await AssertErrorAsync("/recommend-items/shop/malformed/u3", HttpStatusCode.BadGateway, "LambdaBadResponse");
        await AssertErrorAsync("/related-items/shop/sm-broken/item-1", HttpStatusCode.BadGateway, "ModelError");
    }

    [Fact]
    public async Task A_function_slower_than_its_budget_is_a_504()
    {
        Aws.Faults.SetLatency("Invoke", TimeSpan.FromSeconds(2));
        try
        {
            await AssertErrorAsync("/recommend-items/shop/slow/u4", HttpStatusCode.GatewayTimeout, "BackendTimeout");
        }
        finally
        {
            Aws.Faults.SetLatency("Invoke", TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task A_failing_function_is_covered_by_its_configured_fallback()
    {
        using var response = await Client.GetAsync("/recommend-items/shop/with-fallback/u5?numResults=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:1:personalize-campaign", Source(response));
        using var body = await Json(response);
        Assert.Equal(Aws.DefaultRecommender.ItemsFor("u5", null, 2), body.RootElement.GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()));
    }

    [Fact]
    public async Task The_post_processor_gets_the_look_ahead_answer_and_its_replacement_is_decorated_cut_and_cached()
    {
        Aws.Lambda.SetAnswer("pp-fn", new FunctionAnswer(Encoding.UTF8.GetBytes("""{"itemList":[{"itemId":"item-9"},{"itemId":"item-8"},{"itemId":"item-7"}],"recommendationId":"pp-1"}""")));

        using var response = await Client.GetAsync("/recommend-items/shop/post-processed/u6?numResults=2");
        using var again = await Client.GetAsync("/recommend-items/shop/post-processed/u6?numResults=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("primary", Source(response));
        using var body = await Json(response);
        var items = body.RootElement.GetProperty("itemList").EnumerateArray().ToArray();
        Assert.Equal(["item-9", "item-8"], items.Select(i => i.GetProperty("itemId").GetString()));
        Assert.Equal("Item item-9", items[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("pp-1", body.RootElement.GetProperty("recommendationId").GetString());
        Assert.Equal(response.Headers.ETag, again.Headers.ETag);

        var personalize = Assert.Single(Aws.Recorded.For("GetRecommendations"), c => c.Body.Contains("\"u6\"", StringComparison.Ordinal));
        using var sent = JsonDocument.Parse(personalize.Body);
        Assert.Equal(4, sent.RootElement.GetProperty("numResults").GetInt32());
        var post = Assert.Single(Aws.Recorded.For("Invoke"), c => c.Target.Contains("pp-fn", StringComparison.Ordinal));
        using var payload = JsonDocument.Parse(post.Body);
        Assert.Equal(Aws.DefaultRecommender.ItemsFor("u6", null, 4), payload.RootElement.GetProperty("response").GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()));
    }

    [Fact]
    public async Task A_failing_post_processor_serves_the_unprocessed_answer_and_counts_the_failure_or_fails_the_request_when_configured()
    {
        Aws.Lambda.SetAnswer("broken-pp", FunctionAnswer.Error("RuntimeError", "boom"));
        var before = await PostProcessorFailuresAsync();

        using var lenient = await Client.GetAsync("/recommend-items/shop/post-lenient/u7?numResults=3");

        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
        Assert.Equal("unprocessed", Source(lenient));
        Assert.Equal("private, max-age=5", lenient.Headers.NonValidated["Cache-Control"].ToString());
        using (var body = await Json(lenient))
        {
            Assert.Equal(Aws.DefaultRecommender.ItemsFor("u7", null, 3), body.RootElement.GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()));
            Assert.Equal("unprocessed", body.RootElement.GetProperty("source").GetString());
        }

        Assert.True(await PostProcessorFailuresAsync() >= before + 1);

        await AssertErrorAsync("/recommend-items/shop/post-strict/u7?numResults=3", HttpStatusCode.BadGateway, "PostProcessorFailed");
    }

    [Fact]
    public async Task Promotions_are_sent_with_GetRecommendations_and_promotionName_is_returned_per_item()
    {
        using var response = await Client.GetAsync("/recommend-items/shop/promoted/u8?numResults=4");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await Json(response);
        var promoted = body.RootElement.GetProperty("itemList").EnumerateArray().Where(i => i.TryGetProperty("promotionName", out var p) && p.GetString() == "house-brand");
        Assert.Equal(2, promoted.Count());

        using var sent = JsonDocument.Parse(Assert.Single(Aws.Recorded.For("GetRecommendations"), c => c.Body.Contains("\"u8\"", StringComparison.Ordinal)).Body);
        var promotion = Assert.Single(sent.RootElement.GetProperty("promotions").EnumerateArray());
        Assert.Equal(("house-brand", 50, Account + ":filter/house-brand"), (
            promotion.GetProperty("name").GetString(), promotion.GetProperty("percentPromotedItems").GetInt32(), promotion.GetProperty("filterArn").GetString()));
    }

    private async Task AssertErrorAsync(string path, HttpStatusCode status, string code)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{path}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(("Backend", code), (body.RootElement.GetProperty("type").GetString(), body.RootElement.GetProperty("code").GetString()));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    private async Task<double> PostProcessorFailuresAsync()
    {
        var metrics = await Client.GetStringAsync("/metrics");
        return FailuresLine().Matches(metrics).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^recommendations_postprocessor_failures_total(?:\{[^}]*\})? (\S+)", RegexOptions.Multiline)]
    private static partial Regex FailuresLine();

    private static async Task<JsonDocument> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    private static string? Source(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Personalization-Source", out var values) ? values.Single() : null;

    /// <summary>The local AWS server (with a broken endpoint programmed) and one silo on it.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("fn-api-").FullName;

        public LocalAwsServer Aws { get; private set; } = null!;

        internal LoopbackSilo Silo { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await File.WriteAllLinesAsync(
                Path.Combine(_folder, "items.jsonl"),
                Enumerable.Range(1, 1000).Select(i => $$"""{"id":"item-{{i}}","name":"Item item-{{i}}"}"""));
            Aws = await LocalAwsServer.StartAsync();
            Aws.State.Lambda.SetAnswer("failing-fn", FunctionAnswer.Error("KeyError", "'path'"));
            Aws.State.Lambda.SetAnswer("malformed-fn", new FunctionAnswer(Encoding.UTF8.GetBytes("<html>502</html>")));
            Aws.State.SageMaker.Model = (endpoint, body) => endpoint == "broken-endpoint"
                ? throw new LocalAwsException(424, "ModelError", "Received server error (500) from primary")
                : new EndpointAnswer(new RecommenderFunction(Aws.State.DefaultRecommender).Answer(body));
            Silo = await LoopbackSilo.StartAsync(_folder, Config,
            [
                "--Aws:Region=us-east-1",
                $"--Aws:AccessKeyId={LocalAwsOptions.TestAccessKeyId}",
                $"--Aws:SecretAccessKey={LocalAwsOptions.TestSecretAccessKey}",
                $"--Aws:ServiceUrls:personalize-runtime={Aws.Url}",
                $"--Aws:ServiceUrls:lambda={Aws.Url}",
                $"--Aws:ServiceUrls:sagemaker-runtime={Aws.Url}",
                "--Aws:MaxRetries=0",
                "--Resilience:OtherBudget=00:00:00.500",
            ]);
        }

        public async Task DisposeAsync()
        {
            await Silo.DisposeAsync();
            await Aws.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
