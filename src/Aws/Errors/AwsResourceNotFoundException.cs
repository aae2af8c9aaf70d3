using System.Net;

namespace Personalization.Aws.Errors;

/// <summary>The named resource (campaign, stream, session, ...) does not exist.</summary>
public sealed class AwsResourceNotFoundException(string message, string errorCode, string? requestId, HttpStatusCode? statusCode, string service, string operation)
    : AwsServiceException(message, errorCode, requestId, statusCode, service, operation)
{
}
