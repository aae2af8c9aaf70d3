using System.Text;
using System.Text.Json;
using Personalization.Aws.Errors;
using Personalization.Aws.SageMakerRuntime;
using Personalization.LocalAws.Services;
using Xunit;

namespace Personalization.Aws.Tests.Local;

public sealed class SageMakerRuntimeClientTests : LocalServerTest
{
    [Fact]
    public async Task InvokeEndpoint_signs_for_sagemaker_sends_content_type_and_accept_and_returns_the_body()
    {
        var client = Clients().CreateSageMakerRuntimeClient();

        var output = await client.InvokeEndpointAsync(new InvokeEndpointInput
        {
            EndpointName = "recs-endpoint",
            ContentType = "application/json",
            Accept = "application/json",
            Body = Encoding.UTF8.GetBytes("""{"version":"1.0","action":"related-items","itemId":"item-7","userId":"","numResults":3}"""),
        });

        using var body = JsonDocument.Parse(output.Body);
        Assert.Equal(State.DefaultRecommender.ItemsFor(null, "item-7", 3), body.RootElement.GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()));
        Assert.Equal("AllTraffic", output.InvokedProductionVariant);
        var call = Assert.Single(State.Recorded.For("InvokeEndpoint"));
        Assert.Equal(("sagemaker-runtime", "/endpoints/recs-endpoint/invocations"), (call.Service, call.Target));
    }

    [Fact]
    public async Task A_model_error_is_a_424_service_exception_and_programmed_answers_are_returned_as_they_are()
    {
        var client = Clients(o => o.MaxRetries = 0).CreateSageMakerRuntimeClient();
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.InvokeEndpointAsync(new InvokeEndpointInput { EndpointName = "e", ContentType = "text/csv", Body = "1,2"u8.ToArray() }));
        Assert.Equal(("ModelError", 424), (error.ErrorCode, (int)error.StatusCode!.Value));

        State.SageMaker.SetAnswer("e", new EndpointAnswer("not json"u8.ToArray(), "text/plain"));
        var output = await client.InvokeEndpointAsync(new InvokeEndpointInput { EndpointName = "e", Body = "{}"u8.ToArray() });
        Assert.Equal("not json", Encoding.UTF8.GetString(output.Body.Span));
        Assert.Equal("text/plain", output.ContentType);
    }
}
