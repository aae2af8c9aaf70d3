using System.Net;

namespace Personalization.Aws.Errors;

/// <summary>The service throttled the request (throttling error codes or HTTP 429).</summary>
public sealed class AwsThrottlingException(string message, string errorCode, string? requestId, HttpStatusCode? statusCode, string service, string operation)
    : AwsServiceException(message, errorCode, requestId, statusCode, service, operation)
{
    public override bool IsRetryable => true;
}
