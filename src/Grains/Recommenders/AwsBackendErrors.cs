using Personalization.Aws.Errors;

namespace Personalization.Grains.Recommenders;

/// <summary>
/// Turns the AWS clients' typed errors into <see cref="RecommenderBackendException"/> for any AWS-hosted backend
/// (Personalize, Lambda, SageMaker). Only AWS's own message for validation errors reaches the caller (it describes the
/// caller's input); other messages stay in the inner exception.
/// </summary>
public static class AwsBackendErrors
{
    /// <summary>What the client is told to wait after the service throttled us (its retries are already spent).</summary>
    public static readonly TimeSpan ThrottledRetryAfter = TimeSpan.FromSeconds(1);

    /// <param name="service">The service as the messages name it, e.g. "AWS Lambda".</param>
    /// <param name="timeoutCode">The error code of a timeout, e.g. "LambdaTimeout".</param>
    public static RecommenderBackendException Map(AwsServiceException exception, string variationKey, string service, string timeoutCode) => exception switch
    {
        AwsThrottlingException => new(BackendFailure.Throttled, exception.ErrorCode, $"{service} throttled variation '{variationKey}'; retry later.", ThrottledRetryAfter, exception),
        AwsValidationException => new(BackendFailure.InvalidRequest, exception.ErrorCode, exception.Message, inner: exception),
        AwsResourceNotFoundException => new(BackendFailure.ResourceNotFound, exception.ErrorCode, $"a {service} resource used by variation '{variationKey}' does not exist.", inner: exception),
        AwsTimeoutException => new(BackendFailure.Timeout, timeoutCode, $"{service} did not answer in time for variation '{variationKey}'.", inner: exception),
        AwsConfigurationException => new(BackendFailure.Unavailable, exception.ErrorCode, $"variation '{variationKey}' needs {service}, but this deployment has no AWS region or credentials configured.", inner: exception),
        AwsAccessDeniedException => new(BackendFailure.Unavailable, "AccessDenied", $"this service is not allowed to call {service} for variation '{variationKey}'.", inner: exception),

        // SageMaker: the model container answered with an error (HTTP 424). The endpoint is up; what it said is unusable.
        { ErrorCode: "ModelError" } => new(BackendFailure.BadResponse, "ModelError", $"the model behind variation '{variationKey}' answered with an error.", inner: exception),
        _ => new(BackendFailure.Unavailable, exception.ErrorCode, $"{service} is unavailable for variation '{variationKey}'.", inner: exception),
    };
}
