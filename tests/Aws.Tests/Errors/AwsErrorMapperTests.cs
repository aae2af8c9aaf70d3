using System.Net;
using System.Text;
using Personalization.Aws.Errors;
using Xunit;

namespace Personalization.Aws.Tests.Errors;

public sealed class AwsErrorMapperTests
{
    private static AwsServiceException Map(HttpStatusCode status, string body, string? header = null) =>
        AwsErrorMapper.Map(status, Encoding.UTF8.GetBytes(body), header, "req-1", "svc", "Op");

    [Fact]
    public void AwsJson_type_with_namespace_is_stripped_to_the_code()
    {
        var error = Map(HttpStatusCode.BadRequest, "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"bad\"}");

        var validation = Assert.IsType<AwsValidationException>(error);
        Assert.Equal(("ValidationException", "bad", "req-1", HttpStatusCode.BadRequest), (validation.ErrorCode, validation.Message, validation.RequestId, validation.StatusCode));
        Assert.False(validation.IsRetryable);
    }

    [Fact]
    public void RestJson_error_header_wins_and_its_uri_suffix_is_dropped()
    {
        var error = Map(HttpStatusCode.NotFound, "{\"Message\":\"no campaign\"}", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/");

        Assert.IsType<AwsResourceNotFoundException>(error);
        Assert.Equal(("ResourceNotFoundException", "no campaign"), (error.ErrorCode, error.Message));
    }

    [Theory]
    [InlineData("ThrottlingException")]
    [InlineData("ProvisionedThroughputExceededException")]
    [InlineData("TooManyRequestsException")]
    [InlineData("LimitExceededException")]
    public void Throttling_codes_are_retryable(string code)
    {
        var error = Map(HttpStatusCode.BadRequest, $"{{\"__type\":\"{code}\"}}");

        Assert.IsType<AwsThrottlingException>(error);
        Assert.True(error.IsRetryable);
        Assert.Contains(code, error.Message);
    }

    [Fact]
    public void Status_decides_when_the_body_is_not_json()
    {
        Assert.IsType<AwsServiceUnavailableException>(Map(HttpStatusCode.BadGateway, "<html>bad gateway</html>"));
        Assert.IsType<AwsThrottlingException>(Map(HttpStatusCode.TooManyRequests, string.Empty));
        Assert.IsType<AwsAccessDeniedException>(Map(HttpStatusCode.Forbidden, string.Empty));
        Assert.True(Map(HttpStatusCode.ServiceUnavailable, string.Empty).IsRetryable);
    }

    [Fact]
    public void Unknown_client_errors_keep_their_code_on_the_base_type()
    {
        var error = Map(HttpStatusCode.Conflict, "{\"__type\":\"ResourceInUseException\",\"message\":\"busy\"}");

        Assert.Equal(typeof(AwsServiceException), error.GetType());
        Assert.Equal("ResourceInUseException", error.ErrorCode);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void Signature_and_token_problems_are_access_denied()
    {
        Assert.IsType<AwsAccessDeniedException>(Map(HttpStatusCode.BadRequest, "{\"__type\":\"UnrecognizedClientException\"}"));
        Assert.IsType<AwsAccessDeniedException>(Map(HttpStatusCode.BadRequest, "{\"__type\":\"ExpiredTokenException\"}"));
    }
}
