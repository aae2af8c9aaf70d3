namespace Personalization.Aws.Errors;

/// <summary>The call did not complete within the configured per-call timeout (retries included).</summary>
public sealed class AwsTimeoutException(TimeSpan timeout, string service, string operation, Exception? inner)
    : AwsServiceException($"{service} {operation} did not complete within {timeout.TotalMilliseconds:0} ms.", "RequestTimeout", null, null, service, operation, inner)
{
    public TimeSpan Timeout { get; } = timeout;
}
