using System.Text;
using System.Text.Json;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.SageMaker;
using Personalization.Grains.Tests.Recommenders.Personalize;
using Personalization.LocalAws.Faults;
using Personalization.LocalAws.Services;
using Xunit;
using static Personalization.Grains.Tests.Recommenders.Personalize.BackendRequests;

namespace Personalization.Grains.Tests.Recommenders.SageMaker;

public sealed class SageMakerRecommenderBackendTests : LocalAwsTest
{
    private SageMakerRecommenderBackend Backend() => new(Clients(o => o.MaxRetries = 0).CreateSageMakerRuntimeClient());

    [Fact]
    public async Task InvokeEndpoint_gets_the_payload_as_json_and_the_answer_is_read_in_the_Personalize_shape()
    {
        var result = await Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "endpoint", userId: "u3", numResults: 6), CancellationToken.None);

        var call = Assert.Single(State.Recorded.For("InvokeEndpoint"));
        Assert.Equal("/endpoints/recs-endpoint/invocations", call.Target);
        using var payload = JsonDocument.Parse(call.Body);
        Assert.Equal(("recommend-items", "u3", 6, "sagemaker"), (
            payload.RootElement.GetProperty("action").GetString(),
            payload.RootElement.GetProperty("userId").GetString(),
            payload.RootElement.GetProperty("numResults").GetInt32(),
            payload.RootElement.GetProperty("variation").GetProperty("type").GetString()));
        Assert.Equal(State.DefaultRecommender.ItemsFor("u3", null, 6), result.Items.Select(i => i.ItemId));

        var ranked = await Backend().InvokeAsync(For(RecommenderAction.RerankItems, "endpoint-rank", inputList: ["x", "y"]), CancellationToken.None);
        Assert.Equal(["x", "y"], ranked.Items.Select(i => i.ItemId).Order());
    }

    [Fact]
    public async Task A_model_error_and_an_unreadable_answer_are_bad_responses_and_a_slow_endpoint_times_out()
    {
        State.Faults.FailNext("InvokeEndpoint", 1, new InjectedFault("ModelError", 424, "Received server error (500) from primary"));
        var model = await Assert.ThrowsAsync<RecommenderBackendException>(() => Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "endpoint"), CancellationToken.None));
        Assert.Equal((BackendFailure.BadResponse, "ModelError"), (model.Failure, model.Code));

        State.SageMaker.SetAnswer("recs-endpoint", new EndpointAnswer(Encoding.UTF8.GetBytes("[1,2,3]")));
        var unreadable = await Assert.ThrowsAsync<RecommenderBackendException>(() => Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "endpoint"), CancellationToken.None));
        Assert.Equal((BackendFailure.BadResponse, "SageMakerBadResponse"), (unreadable.Failure, unreadable.Code));
        State.SageMaker.ClearAnswer("recs-endpoint");

        State.Faults.SetLatency("InvokeEndpoint", TimeSpan.FromSeconds(2));
        var slow = new SageMakerRecommenderBackend(Clients(o => { o.MaxRetries = 0; o.Timeout = TimeSpan.FromMilliseconds(100); }).CreateSageMakerRuntimeClient());
        var timeout = await Assert.ThrowsAsync<RecommenderBackendException>(() => slow.InvokeAsync(For(RecommenderAction.RecommendItems, "endpoint"), CancellationToken.None));
        Assert.Equal((BackendFailure.Timeout, "SageMakerTimeout"), (timeout.Failure, timeout.Code));
    }
}
