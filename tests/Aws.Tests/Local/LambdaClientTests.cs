using System.Text;
using System.Text.Json;
using Personalization.Aws.Errors;
using Personalization.Aws.Lambda;
using Personalization.LocalAws.Faults;
using Personalization.LocalAws.Services;
using Xunit;

namespace Personalization.Aws.Tests.Local;

public sealed class LambdaClientTests : LocalServerTest
{
    private const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:custom-recs";

    private static ReadOnlyMemory<byte> Payload(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task Invoke_signs_for_lambda_escapes_the_arn_in_the_path_and_returns_the_functions_payload()
    {
        var client = Clients().CreateLambdaClient();

        var response = await client.InvokeAsync(new InvocationRequest
        {
            FunctionName = FunctionArn,
            Qualifier = "live",
            InvocationType = "RequestResponse",
            Payload = Payload("""{"version":"1.0","action":"recommend-items","userId":"u1","numResults":4}"""),
        });

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.FunctionError);
        using var body = JsonDocument.Parse(response.Payload);
        Assert.Equal(State.DefaultRecommender.ItemsFor("u1", null, 4), body.RootElement.GetProperty("itemList").EnumerateArray().Select(i => i.GetProperty("itemId").GetString()));
        var call = Assert.Single(State.Recorded.For("Invoke"));
        Assert.Equal("lambda", call.Service);
        Assert.EndsWith("function:custom-recs/invocations?Qualifier=live", Uri.UnescapeDataString(call.Target));
    }

    [Fact]
    public async Task A_function_error_is_an_answer_with_the_error_header_not_an_exception()
    {
        State.Lambda.SetAnswer("custom-recs", FunctionAnswer.Error("KeyError", "'path'"));
        var client = Clients().CreateLambdaClient();

        var response = await client.InvokeAsync(new InvocationRequest { FunctionName = FunctionArn, Payload = Payload("{}") });

        Assert.Equal("Unhandled", response.FunctionError);
        using var error = JsonDocument.Parse(response.Payload);
        Assert.Equal("KeyError", error.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Service_errors_map_to_typed_exceptions_and_throttling_is_retried()
    {
        State.Faults.FailNext("Invoke", 1, new InjectedFault("TooManyRequestsException", 429));
        var client = Clients(o => o.MaxRetries = 1).CreateLambdaClient();
        var response = await client.InvokeAsync(new InvocationRequest { FunctionName = "custom-recs", Payload = Payload("""{"userId":"u1","numResults":1}""") });
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, State.Recorded.For("Invoke").Count);

        State.Faults.FailNext("Invoke", 1, new InjectedFault("ResourceNotFoundException", 404, "Function not found"));
        await Assert.ThrowsAsync<AwsResourceNotFoundException>(() => client.InvokeAsync(new InvocationRequest { FunctionName = "missing", Payload = Payload("{}") }));
    }
}
