using System.Net;
using Personalization.Aws.Errors;
using Personalization.Aws.Personalize.Events;
using Personalization.Aws.Personalize.Runtime;
using Personalization.LocalAws;
using Personalization.LocalAws.Faults;
using Xunit;

namespace Personalization.Aws.Tests.Local;

public sealed class ErrorHandlingTests : LocalServerTest
{
    private static readonly GetRecommendationsRequest Valid = new() { CampaignArn = "arn:campaign", UserId = "u1", NumResults = 3 };

    private static PutEventsRequest Events() => new()
    {
        TrackingId = "t1",
        SessionId = "s1",
        UserId = "u1",
        EventList = [new Event { EventType = "click", ItemId = "i1", SentAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) }],
    };

    [Fact]
    public async Task Validation_error_is_typed_and_not_retried()
    {
        var client = Clients(o => o.MaxRetries = 3).CreatePersonalizeRuntimeClient();

        var error = await Assert.ThrowsAsync<AwsValidationException>(() =>
            client.GetRecommendationsAsync(new GetRecommendationsRequest { CampaignArn = "arn:campaign", UserId = "u1", NumResults = 0 }));

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("numResults", error.Message);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Equal(("personalize-runtime", "GetRecommendations"), (error.Service, error.Operation));
        Assert.Single(State.Recorded.For("GetRecommendations"));
    }

    [Fact]
    public async Task Throttling_is_retried_then_succeeds()
    {
        State.Faults.FailNext("PutEvents", 2, InjectedFault.Throttling);
        var client = Clients(o => o.MaxRetries = 3).CreatePersonalizeEventsClient();

        await client.PutEventsAsync(Events());

        var calls = State.Recorded.For("PutEvents");
        Assert.Equal([400, 400, 200], calls.Select(c => c.StatusCode));
        Assert.Equal(["ThrottlingException", "ThrottlingException", null], calls.Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task Throttling_exhausting_the_retries_surfaces_as_AwsThrottlingException()
    {
        State.Faults.FailNext("GetRecommendations", 10, new InjectedFault("ProvisionedThroughputExceededException", 400, "slow down"));
        var client = Clients(o => o.MaxRetries = 2).CreatePersonalizeRuntimeClient();

        var error = await Assert.ThrowsAsync<AwsThrottlingException>(() => client.GetRecommendationsAsync(Valid));

        Assert.Equal("ProvisionedThroughputExceededException", error.ErrorCode);
        Assert.Equal("slow down", error.Message);
        Assert.Equal(3, State.Recorded.For("GetRecommendations").Count);
    }

    [Fact]
    public async Task Http_429_without_a_known_code_is_throttling()
    {
        State.Faults.FailNext("GetRecommendations", 1, new InjectedFault("SomethingNew", 429));
        var client = Clients(o => o.MaxRetries = 0).CreatePersonalizeRuntimeClient();

        var error = await Assert.ThrowsAsync<AwsThrottlingException>(() => client.GetRecommendationsAsync(Valid));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
    }

    [Fact]
    public async Task Server_errors_are_retried_and_typed_when_persistent()
    {
        State.Faults.FailNext("GetRecommendations", 1, InjectedFault.ServiceUnavailable);
        var client = Clients(o => o.MaxRetries = 1).CreatePersonalizeRuntimeClient();

        var response = await client.GetRecommendationsAsync(Valid);
        Assert.Equal(3, response.ItemList.Count);

        State.Faults.FailNext("GetRecommendations", 2, new InjectedFault("InternalFailure", 500));
        var error = await Assert.ThrowsAsync<AwsServiceUnavailableException>(() => client.GetRecommendationsAsync(Valid));
        Assert.Equal("InternalFailure", error.ErrorCode);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(4, State.Recorded.For("GetRecommendations").Count);
    }

    [Fact]
    public async Task Slow_calls_end_in_AwsTimeoutException()
    {
        State.Faults.SetLatency("GetRecommendations", TimeSpan.FromSeconds(30));
        var client = Clients(o => o.Timeout = TimeSpan.FromMilliseconds(200)).CreatePersonalizeRuntimeClient();

        var error = await Assert.ThrowsAsync<AwsTimeoutException>(() => client.GetRecommendationsAsync(Valid));

        Assert.Equal(TimeSpan.FromMilliseconds(200), error.Timeout);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        State.Faults.SetLatency("*", TimeSpan.FromSeconds(30));
        var client = Clients().CreatePersonalizeRuntimeClient();
        using var cancel = new CancellationTokenSource();
        var call = client.GetRecommendationsAsync(Valid, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task A_wrong_secret_is_rejected_with_InvalidSignatureException_and_not_retried()
    {
        var client = Clients(o =>
        {
            o.SecretAccessKey = "not-the-secret";
            o.MaxRetries = 3;
        }).CreatePersonalizeEventsClient();

        var error = await Assert.ThrowsAsync<AwsAccessDeniedException>(() => client.PutEventsAsync(Events()));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        var call = Assert.Single(State.Recorded.For("PutEvents"));
        Assert.Equal(403, call.StatusCode);
    }

    [Fact]
    public async Task An_unknown_access_key_is_rejected()
    {
        var client = Clients(o => o.AccessKeyId = "AKIDUNKNOWN").CreatePersonalizeRuntimeClient();

        var error = await Assert.ThrowsAsync<AwsAccessDeniedException>(() => client.GetRecommendationsAsync(Valid));

        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
    }

    [Fact]
    public async Task The_signature_must_be_scoped_to_the_service_that_owns_the_path()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Url, "/events")) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        Aws.Signing.SigV4Signer.Sign(
            request, "{}"u8, new Amazon.Runtime.ImmutableCredentials(LocalAwsOptions.TestAccessKeyId, LocalAwsOptions.TestSecretAccessKey, null),
            new Aws.Signing.SigV4Scope("us-east-1", "appconfig"), TimeProvider.System.GetUtcNow());

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("InvalidSignatureException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task Unsigned_requests_are_rejected()
    {
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(Server.Url, "/recommendations"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }
}
