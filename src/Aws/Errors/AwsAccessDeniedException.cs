using System.Net;

namespace Personalization.Aws.Errors;

/// <summary>The credentials were rejected or lack permission (including bad signatures).</summary>
public sealed class AwsAccessDeniedException(string message, string errorCode, string? requestId, HttpStatusCode? statusCode, string service, string operation)
    : AwsServiceException(message, errorCode, requestId, statusCode, service, operation)
{
}
