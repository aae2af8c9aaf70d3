using System.Net;

namespace Personalization.Aws.Errors;

/// <summary>An error response from an AWS service (or a local server speaking its protocol).</summary>
public class AwsServiceException : Exception
{
    public AwsServiceException(string message, string errorCode, string? requestId, HttpStatusCode? statusCode, string service, string operation, Exception? inner = null)
        : base(message, inner)
    {
        ErrorCode = errorCode;
        RequestId = requestId;
        StatusCode = statusCode;
        Service = service;
        Operation = operation;
    }

    /// <summary>The AWS error code, e.g. ThrottlingException, without any namespace prefix.</summary>
    public string ErrorCode { get; }

    public string? RequestId { get; }

    /// <summary>The HTTP status; null when no response arrived (timeouts).</summary>
    public HttpStatusCode? StatusCode { get; }

    public string Service { get; }

    public string Operation { get; }

    /// <summary>Whether sending the same request again may succeed (throttling, 5xx).</summary>
    public virtual bool IsRetryable => false;
}
