using System.Text;
using System.Text.Json;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.Lambda;
using Personalization.Grains.Tests.Recommenders.Personalize;
using Personalization.LocalAws.Faults;
using Personalization.LocalAws.Services;
using Xunit;
using static Personalization.Grains.Tests.Recommenders.Personalize.BackendRequests;

namespace Personalization.Grains.Tests.Recommenders.Lambda;

/// <summary>`lambda` variations against the local Lambda server: the original's payload, the Personalize-shaped answer, and every failure as a classified backend error.</summary>
public sealed class LambdaRecommenderBackendTests : LocalAwsTest
{
    private LambdaRecommenderBackend Backend(Action<Personalization.Aws.Configuration.AwsClientOptions>? configure = null) =>
        new(Clients(configure).CreateLambdaClient());

    private JsonElement LastPayload() => JsonDocument.Parse(State.Recorded.For("Invoke")[^1].Body).RootElement;

    [Fact]
    public async Task Recommend_items_sends_the_original_payload_with_the_look_ahead_count_and_reads_the_answer()
    {
        var result = await Backend().InvokeAsync(
            For(RecommenderAction.RecommendItems, "custom", userId: "u7", numResults: 5, context: new Dictionary<string, string> { ["DEVICE"] = "tv" }),
            CancellationToken.None);

        var payload = LastPayload();
        Assert.Equal("1.0", payload.GetProperty("version").GetString());
        Assert.Equal("recommend-items", payload.GetProperty("action").GetString());
        Assert.Equal("custom", payload.GetProperty("recommender").GetProperty("path").GetString());
        Assert.Equal("a custom model", payload.GetProperty("recommender").GetProperty("config").GetProperty("description").GetString());
        Assert.Equal("v2", payload.GetProperty("variation").GetProperty("model").GetString());
        Assert.Equal("u7", payload.GetProperty("userId").GetString());
        Assert.Equal(10, payload.GetProperty("numResults").GetInt32());
        Assert.Equal("tv", payload.GetProperty("context").GetProperty("DEVICE").GetString());
        Assert.False(payload.TryGetProperty("itemId", out _));
        Assert.EndsWith("function:custom-recs/invocations?Qualifier=live", Uri.UnescapeDataString(State.Recorded.For("Invoke")[^1].Target));

        Assert.Equal(State.DefaultRecommender.ItemsFor("u7", null, 10), result.Items.Select(i => i.ItemId));
        Assert.StartsWith("RID-", result.RecommendationId);
    }

    [Fact]
    public async Task Related_items_send_an_empty_user_and_rerank_sends_the_item_list_and_reads_personalizedRanking()
    {
        await Backend().InvokeAsync(For(RecommenderAction.RelatedItems, "custom-related", userId: null, itemId: "item-3", numResults: 4), CancellationToken.None);
        var related = LastPayload();
        Assert.Equal(("related-items", "item-3", "", 4), (related.GetProperty("action").GetString(), related.GetProperty("itemId").GetString(), related.GetProperty("userId").GetString(), related.GetProperty("numResults").GetInt32()));

        var ranked = await Backend().InvokeAsync(For(RecommenderAction.RerankItems, "custom-rank", inputList: ["a", "b", "c"]), CancellationToken.None);
        var rerank = LastPayload();
        Assert.Equal(["a", "b", "c"], rerank.GetProperty("itemList").EnumerateArray().Select(e => e.GetString()));
        Assert.False(rerank.TryGetProperty("numResults", out _));
        Assert.Equal(["a", "b", "c"], ranked.Items.Select(i => i.ItemId).Order());
    }

    [Fact]
    public async Task A_function_error_is_a_bad_response_naming_the_error_type_but_not_its_message()
    {
        State.Lambda.SetAnswer("custom-recs", FunctionAnswer.Error("KeyError", "secret connection string"));

        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "custom"), CancellationToken.None));

        Assert.Equal((BackendFailure.BadResponse, "FunctionError"), (error.Failure, error.Code));
        Assert.Contains("Unhandled: KeyError", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsBackendOutage);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"items":[]}""")]
    [InlineData("""{"itemList":[{"score":1}]}""")]
    [InlineData("null")]
    public async Task A_malformed_answer_is_a_bad_response(string answer)
    {
        State.Lambda.SetAnswer("custom-recs", new FunctionAnswer(Encoding.UTF8.GetBytes(answer)));

        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() => Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "custom"), CancellationToken.None));

        Assert.Equal((BackendFailure.BadResponse, "LambdaBadResponse"), (error.Failure, error.Code));
    }

    [Fact]
    public async Task Timeouts_throttling_and_missing_functions_are_classified_like_Personalize()
    {
        State.Faults.SetLatency("Invoke", TimeSpan.FromSeconds(2));
        var timeout = await Assert.ThrowsAsync<RecommenderBackendException>(() =>
            Backend(o => { o.Timeout = TimeSpan.FromMilliseconds(100); o.MaxRetries = 0; }).InvokeAsync(For(RecommenderAction.RecommendItems, "custom"), CancellationToken.None));
        Assert.Equal((BackendFailure.Timeout, "LambdaTimeout"), (timeout.Failure, timeout.Code));
        State.Faults.Clear();

        State.Faults.FailNext("Invoke", 1, new InjectedFault("TooManyRequestsException", 429, "Rate exceeded"));
        var throttled = await Assert.ThrowsAsync<RecommenderBackendException>(() => Backend(o => o.MaxRetries = 0).InvokeAsync(For(RecommenderAction.RecommendItems, "custom"), CancellationToken.None));
        Assert.Equal(BackendFailure.Throttled, throttled.Failure);

        State.Faults.FailNext("Invoke", 1, new InjectedFault("ResourceNotFoundException", 404, "Function not found"));
        var missing = await Assert.ThrowsAsync<RecommenderBackendException>(() => Backend(o => o.MaxRetries = 0).InvokeAsync(For(RecommenderAction.RecommendItems, "custom"), CancellationToken.None));
        Assert.Equal(BackendFailure.ResourceNotFound, missing.Failure);
    }
}
