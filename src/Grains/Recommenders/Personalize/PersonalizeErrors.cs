using Personalization.Aws.Errors;

namespace Personalization.Grains.Recommenders.Personalize;

/// <summary>Amazon Personalize's errors as <see cref="RecommenderBackendException"/>s (see <see cref="AwsBackendErrors"/>).</summary>
public static class PersonalizeErrors
{
    /// <summary>What the client is told to wait after Personalize throttled us (its retries are already spent).</summary>
    public static readonly TimeSpan ThrottledRetryAfter = AwsBackendErrors.ThrottledRetryAfter;

    public static RecommenderBackendException Map(AwsServiceException exception, string variationKey) =>
        AwsBackendErrors.Map(exception, variationKey, "Amazon Personalize", "PersonalizeTimeout");
}
