using Personalization.Aws.Errors;

namespace Personalization.Grains.Recommenders.Personalize;

/// <summary>
/// Turns the AWS client's typed errors into <see cref="RecommenderBackendException"/>. Only AWS's own message for
/// validation errors reaches the caller (it describes the caller's input); other messages stay in the inner exception.
/// </summary>
public static class PersonalizeErrors
{
    /// <summary>What the client is told to wait after Personalize throttled us (its retries are already spent).</summary>
    public static readonly TimeSpan ThrottledRetryAfter = TimeSpan.FromSeconds(1);

    public static RecommenderBackendException Map(AwsServiceException exception, string variationKey) => exception switch
    {
        AwsThrottlingException => new(BackendFailure.Throttled, exception.ErrorCode, $"Amazon Personalize throttled variation '{variationKey}'; retry later.", ThrottledRetryAfter, exception),
        AwsValidationException => new(BackendFailure.InvalidRequest, exception.ErrorCode, exception.Message, inner: exception),
        AwsResourceNotFoundException => new(BackendFailure.ResourceNotFound, exception.ErrorCode, $"a Personalize resource used by variation '{variationKey}' does not exist.", inner: exception),
        AwsTimeoutException => new(BackendFailure.Timeout, "PersonalizeTimeout", $"Amazon Personalize did not answer in time for variation '{variationKey}'.", inner: exception),
        AwsConfigurationException => new(BackendFailure.Unavailable, exception.ErrorCode, $"variation '{variationKey}' needs Amazon Personalize, but this deployment has no AWS region or credentials configured.", inner: exception),
        AwsAccessDeniedException => new(BackendFailure.Unavailable, "AccessDenied", $"this service is not allowed to call Amazon Personalize for variation '{variationKey}'.", inner: exception),
        _ => new(BackendFailure.Unavailable, exception.ErrorCode, $"Amazon Personalize is unavailable for variation '{variationKey}'.", inner: exception),
    };
}
