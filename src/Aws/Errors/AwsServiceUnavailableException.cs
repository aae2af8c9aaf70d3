using System.Net;

namespace Personalization.Aws.Errors;

/// <summary>The service failed or is unavailable (5xx), or could not be reached at all (ErrorCode NetworkError).</summary>
public sealed class AwsServiceUnavailableException(string message, string errorCode, string? requestId, HttpStatusCode? statusCode, string service, string operation, Exception? inner = null)
    : AwsServiceException(message, errorCode, requestId, statusCode, service, operation, inner)
{
    public const string NetworkErrorCode = "NetworkError";

    public override bool IsRetryable => true;
}
