using System.Net;

namespace Personalization.Aws.Errors;

/// <summary>The service failed or is unavailable (5xx).</summary>
public sealed class AwsServiceUnavailableException(string message, string errorCode, string? requestId, HttpStatusCode? statusCode, string service, string operation)
    : AwsServiceException(message, errorCode, requestId, statusCode, service, operation)
{
    public override bool IsRetryable => true;
}
