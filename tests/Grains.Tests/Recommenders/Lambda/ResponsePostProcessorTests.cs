using System.Text;
using System.Text.Json;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.Lambda;
using Personalization.Grains.Recommenders.Resilience;
using Personalization.Grains.Tests.Recommenders.Personalize;
using Personalization.LocalAws.Services;
using Xunit;
using static Personalization.Grains.Tests.Recommenders.Personalize.BackendRequests;

namespace Personalization.Grains.Tests.Recommenders.Lambda;

public sealed class ResponsePostProcessorTests : LocalAwsTest
{
    private static readonly RecommenderResult Answer = new(
        [new RecommendedItem("a", 0.9, Metadata: "{\"brand\":\"acme\"}"u8.ToArray()), new RecommendedItem("b", 0.5), new RecommendedItem("c", 0.1)],
        "rid-1");

    private ResponsePostProcessor PostProcessor(TimeSpan? budget = null) =>
        new(Clients(o => o.MaxRetries = 0).CreateLambdaClient(), new BackendResilienceOptions { OtherBudget = budget ?? TimeSpan.FromSeconds(2) }, TimeProvider.System);

    [Fact]
    public async Task The_function_receives_the_answer_as_response_and_its_replacement_is_returned()
    {
        State.Lambda.Code = invocation =>
        {
            using var payload = JsonDocument.Parse(invocation.Payload);
            var items = payload.RootElement.GetProperty("response").GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()).Reverse().Skip(1);
            return new FunctionAnswer(JsonSerializer.SerializeToUtf8Bytes(new { itemList = items.Select(id => new { itemId = id, promotionName = "pp" }), recommendationId = "rid-2" }));
        };

        var result = await PostProcessor().ProcessAsync(For(RecommenderAction.RecommendItems, "custom", numResults: 2), Answer, CancellationToken.None);

        Assert.Equal(["b", "a"], result.Items.Select(i => i.ItemId));
        Assert.Equal(("pp", "rid-2"), (result.Items[0].PromotionName, result.RecommendationId));
        var call = Assert.Single(State.Recorded.For("Invoke"));
        Assert.Contains("function:post-process/invocations", Uri.UnescapeDataString(call.Target), StringComparison.Ordinal);
        using var sent = JsonDocument.Parse(call.Body);
        var response = sent.RootElement.GetProperty("response");
        Assert.Equal("acme", response.GetProperty("itemList")[0].GetProperty("metadata").GetProperty("brand").GetString());
        Assert.Equal("rid-1", response.GetProperty("recommendationId").GetString());
        Assert.Equal(("recommend-items", 2), (sent.RootElement.GetProperty("action").GetString(), sent.RootElement.GetProperty("numResults").GetInt32()));
    }

    [Fact]
    public async Task Function_errors_unreadable_answers_and_timeouts_fail_with_the_post_processor_code()
    {
        var request = For(RecommenderAction.RecommendItems, "custom");
        State.Lambda.SetAnswer("post-process", FunctionAnswer.Error("ValueError", "boom"));
        var failed = await Assert.ThrowsAsync<RecommenderBackendException>(() => PostProcessor().ProcessAsync(request, Answer, CancellationToken.None));
        Assert.Equal((BackendFailure.BadResponse, ResponsePostProcessor.FailureCode), (failed.Failure, failed.Code));

        State.Lambda.SetAnswer("post-process", new FunctionAnswer(Encoding.UTF8.GetBytes("{\"itemList\":\"nope\"}")));
        var unreadable = await Assert.ThrowsAsync<RecommenderBackendException>(() => PostProcessor().ProcessAsync(request, Answer, CancellationToken.None));
        Assert.Equal((BackendFailure.BadResponse, ResponsePostProcessor.FailureCode), (unreadable.Failure, unreadable.Code));

        State.Lambda.ClearAnswer("post-process");
        State.Faults.SetLatency("Invoke", TimeSpan.FromSeconds(2));
        var slow = await Assert.ThrowsAsync<RecommenderBackendException>(() => PostProcessor(TimeSpan.FromMilliseconds(100)).ProcessAsync(request, Answer, CancellationToken.None));
        Assert.Equal((BackendFailure.Timeout, ResponsePostProcessor.FailureCode), (slow.Failure, slow.Code));
    }
}
