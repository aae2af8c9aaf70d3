namespace Personalization.Aws.Errors;

/// <summary>
/// The call could not be made because this process is not set up for AWS (no region, no credentials). Surfaces like a
/// service error, so callers map it the same way (an unavailable backend, a failed event target), never as a crash.
/// </summary>
public sealed class AwsConfigurationException(string message, string service, string operation, Exception? inner = null)
    : AwsServiceException(message, ErrorCodeValue, null, null, service, operation, inner)
{
    public const string ErrorCodeValue = "AwsNotConfigured";
}
