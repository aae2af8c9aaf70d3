using System.Net;

namespace Personalization.Aws.Errors;

/// <summary>The request was rejected as invalid; retrying it cannot help.</summary>
public sealed class AwsValidationException(string message, string errorCode, string? requestId, HttpStatusCode? statusCode, string service, string operation)
    : AwsServiceException(message, errorCode, requestId, statusCode, service, operation)
{
}
